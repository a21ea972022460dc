"""Root fields of the subsidy workflow; each is scoped like the graph."""

from __future__ import annotations

import strawberry

from propgraph.models import SubsidyApplication as ApplicationRow
from propgraph.models import SubsidyBatch as BatchRow
from propgraph.models import SubsidyRound as RoundRow
from propgraph.resolvers.paging import fetch_page
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_BATCH, SUBSIDY_ROUND
from propgraph.schema.context import Info
from propgraph.schema.ids import pk_of
from propgraph.schema.relay import Connection, page_args
from propgraph.schema.subsidy.figures import subsidy_figures as figures_of
from propgraph.schema.subsidy.inputs import SubsidyApplicationFilter
from propgraph.schema.subsidy.types import (
    SubsidyApplication,
    SubsidyBatch,
    SubsidyFigures,
    SubsidyRound,
)


async def subsidy_rounds(info: Info) -> list[SubsidyRound]:
    rows = await info.context.db.all(
        SUBSIDY_ROUND.scoped(info.context.viewer).order_by(
            RoundRow.opens_on.desc(), RoundRow.id.desc()
        )
    )
    return [SubsidyRound.from_row(row) for row in rows]


async def subsidy_applications(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: SubsidyApplicationFilter | None = None,
) -> Connection[SubsidyApplication]:
    query = SUBSIDY_APPLICATION.scoped(info.context.viewer)
    if filter is not None:
        if filter.status is not None:
            query = query.where(ApplicationRow.status == filter.status)
        if filter.round_id is not None:
            query = query.where(ApplicationRow.round_id == pk_of(filter.round_id, "SubsidyRound"))
    page = await fetch_page(info.context.db, query, ApplicationRow.id, page_args(first, after))
    return Connection.from_page(page, SubsidyApplication.from_row)


async def subsidy_batches(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    round_id: strawberry.ID | None = None,
) -> Connection[SubsidyBatch]:
    query = SUBSIDY_BATCH.scoped(info.context.viewer)
    if round_id is not None:
        query = query.where(BatchRow.round_id == pk_of(round_id, "SubsidyRound"))
    page = await fetch_page(info.context.db, query, BatchRow.id, page_args(first, after))
    return Connection.from_page(page, SubsidyBatch.from_row)


async def subsidy_figures(info: Info, round_id: strawberry.ID | None = None) -> SubsidyFigures:
    return await figures_of(info, "city", 0, round_id)
