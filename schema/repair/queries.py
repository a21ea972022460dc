"""Root fields of the repair projects; scoped like the graph."""

from __future__ import annotations

from propgraph.resolvers.repair.lists import repair_project_page
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
    project_id = filter.project_id if filter is not None else None
    page = await repair_project_page(
        info.context.db,
        info.context.viewer,
        page_args(first, after),
        status=filter.status if filter is not None else None,
        kind=filter.kind if filter is not None else None,
        project_id=pk_of(project_id, "Project"),
        by_project=project_id is not None,
    )
    return Connection.from_page(page, RepairProject.from_row)
