"""Root lists of office work (``Query.evaluations``, ``Query.tenderFilings``),
scoped like the graph."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import Evaluation, EvaluationStatus, Half, TenderFiling, TenderStatus
from propgraph.resolvers.office.kinds import EVALUATION, TENDER_FILING
from propgraph.resolvers.paging import Page, PageArgs, fetch_page
from propgraph.workflows import workdays


async def evaluation_page(
    db: RequestDB,
    viewer: Viewer,
    args: PageArgs,
    *,
    year: int | None = None,
    half: Half | None = None,
    status: EvaluationStatus | None = None,
) -> Page[Any]:
    """A page of the evaluations the viewer may see, narrowed by each filter given."""
    query = EVALUATION.scoped(viewer)
    if year is not None:
        query = query.where(Evaluation.year == year)
    if half is not None:
        query = query.where(Evaluation.half == half)
    if status is not None:
        query = query.where(Evaluation.status == status)
    return await fetch_page(db, query, Evaluation.id, args)


def timeliness_predicate(band: workdays.Timeliness, today: date) -> ColumnElement[bool]:
    """Decided filings by their fixed age; undecided ones by their filing date."""
    low, high = workdays.BANDS[band]
    decided: ColumnElement[bool] = TenderFiling.working_days >= low
    if high is not None:
        decided = and_(decided, TenderFiling.working_days <= high)
    earliest, latest = workdays.filed_between(band, today)
    pending: ColumnElement[bool] = TenderFiling.working_days.is_(None)
    if earliest is not None:
        pending = and_(pending, TenderFiling.filed_on >= earliest)
    if latest is not None:
        pending = and_(pending, TenderFiling.filed_on <= latest)
    return or_(and_(TenderFiling.working_days.is_not(None), decided), pending)


async def filing_page(
    db: RequestDB,
    viewer: Viewer,
    args: PageArgs,
    *,
    status: TenderStatus | None = None,
    timeliness: workdays.Timeliness | None = None,
    today: date,
) -> Page[Any]:
    """A page of the tender filings the viewer may see; ``timeliness`` counts working
    days up to ``today`` for filings not decided yet."""
    query = TENDER_FILING.scoped(viewer)
    if status is not None:
        query = query.where(TenderFiling.status == status)
    if timeliness is not None:
        query = query.where(timeliness_predicate(timeliness, today))
    return await fetch_page(db, query, TenderFiling.id, args)
