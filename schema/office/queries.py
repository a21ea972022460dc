"""Root fields of office work; each is scoped like the graph."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_

from propgraph.models import Evaluation as EvaluationRow
from propgraph.models import TenderFiling as FilingRow
from propgraph.resolvers.office.kinds import EVALUATION, TENDER_FILING
from propgraph.resolvers.paging import fetch_page
from propgraph.schema.context import Info
from propgraph.schema.office.inputs import EvaluationFilter, TenderFilingFilter
from propgraph.schema.office.types import Evaluation, TenderFiling
from propgraph.schema.relay import Connection, page_args
from propgraph.workflows import workdays


async def evaluations(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: EvaluationFilter | None = None,
) -> Connection[Evaluation]:
    query = EVALUATION.scoped(info.context.viewer)
    if filter is not None:
        if filter.year is not None:
            query = query.where(EvaluationRow.year == filter.year)
        if filter.half is not None:
            query = query.where(EvaluationRow.half == filter.half)
        if filter.status is not None:
            query = query.where(EvaluationRow.status == filter.status)
    page = await fetch_page(info.context.db, query, EvaluationRow.id, page_args(first, after))
    return Connection.from_page(page, Evaluation.from_row)


def timeliness_predicate(band: workdays.Timeliness, today: date) -> ColumnElement[bool]:
    """Decided filings by their fixed age; undecided ones by their filing date."""
    low, high = workdays.BANDS[band]
    decided: ColumnElement[bool] = FilingRow.working_days >= low
    if high is not None:
        decided = and_(decided, FilingRow.working_days <= high)
    earliest, latest = workdays.filed_between(band, today)
    pending: ColumnElement[bool] = FilingRow.working_days.is_(None)
    if earliest is not None:
        pending = and_(pending, FilingRow.filed_on >= earliest)
    if latest is not None:
        pending = and_(pending, FilingRow.filed_on <= latest)
    return or_(and_(FilingRow.working_days.is_not(None), decided), pending)


async def tender_filings(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: TenderFilingFilter | None = None,
) -> Connection[TenderFiling]:
    query = TENDER_FILING.scoped(info.context.viewer)
    if filter is not None:
        if filter.status is not None:
            query = query.where(FilingRow.status == filter.status)
        if filter.timeliness is not None:
            band = workdays.Timeliness(filter.timeliness)
            query = query.where(timeliness_predicate(band, info.context.services.today()))
    page = await fetch_page(info.context.db, query, FilingRow.id, page_args(first, after))
    return Connection.from_page(page, TenderFiling.from_row)
