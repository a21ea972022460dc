"""Root fields of office work; each is scoped like the graph."""

from __future__ import annotations

from propgraph.resolvers.office import lists
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
    page = await lists.evaluation_page(
        info.context.db,
        info.context.viewer,
        page_args(first, after),
        year=filter.year if filter is not None else None,
        half=filter.half if filter is not None else None,
        status=filter.status if filter is not None else None,
    )
    return Connection.from_page(page, Evaluation.from_row)


async def tender_filings(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: TenderFilingFilter | None = None,
) -> Connection[TenderFiling]:
    timeliness = filter.timeliness if filter is not None else None
    page = await lists.filing_page(
        info.context.db,
        info.context.viewer,
        page_args(first, after),
        status=filter.status if filter is not None else None,
        timeliness=None if timeliness is None else workdays.Timeliness(timeliness),
        today=info.context.services.today(),
    )
    return Connection.from_page(page, TenderFiling.from_row)
