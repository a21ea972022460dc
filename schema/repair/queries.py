"""Root fields of the repair projects; scoped like the graph."""

from __future__ import annotations

from propgraph.models import RepairProject as RepairProjectRow
from propgraph.resolvers.paging import fetch_page
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT
from propgraph.schema.context import Info
from propgraph.schema.ids import pk_of
from propgraph.schema.relay import Connection, page_args
from propgraph.schema.repair.inputs import RepairProjectFilter
from propgraph.schema.repair.types import RepairProject


async def repair_projects(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: RepairProjectFilter | None = None,
) -> Connection[RepairProject]:
    query = REPAIR_PROJECT.scoped(info.context.viewer)
    if filter is not None:
        if filter.status is not None:
            query = query.where(RepairProjectRow.status == filter.status)
        if filter.kind is not None:
            query = query.where(RepairProjectRow.kind == filter.kind)
        if filter.project_id is not None:
            query = query.where(RepairProjectRow.project_id == pk_of(filter.project_id, "Project"))
    page = await fetch_page(info.context.db, query, RepairProjectRow.id, page_args(first, after))
    return Connection.from_page(page, RepairProject.from_row)
