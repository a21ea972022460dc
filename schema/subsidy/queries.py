"""Root fields of the subsidy workflow; each is scoped like the graph."""

from __future__ import annotations

import strawberry

from propgraph.resolvers.subsidy import lists
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
    rows = await lists.rounds(info.context.db, info.context.viewer)
    return [SubsidyRound.from_row(row) for row in rows]


async def subsidy_applications(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: SubsidyApplicationFilter | None = None,
) -> Connection[SubsidyApplication]:
    round_id = filter.round_id if filter is not None else None
    page = await lists.application_page(
        info.context.db,
        info.context.viewer,
        page_args(first, after),
        status=filter.status if filter is not None else None,
        round_id=pk_of(round_id, "SubsidyRound"),
        by_round=round_id is not None,
    )
    return Connection.from_page(page, SubsidyApplication.from_row)


async def subsidy_batches(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    round_id: strawberry.ID | None = None,
) -> Connection[SubsidyBatch]:
    page = await lists.batch_page(
        info.context.db,
        info.context.viewer,
        page_args(first, after),
        round_id=pk_of(round_id, "SubsidyRound"),
        by_round=round_id is not None,
    )
    return Connection.from_page(page, SubsidyBatch.from_row)


async def subsidy_figures(info: Info, round_id: strawberry.ID | None = None) -> SubsidyFigures:
    return await figures_of(info, "city", 0, round_id)
