"""Root lists of the repair projects, scoped like the graph."""

from __future__ import annotations

from typing import Any

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import RepairKind, RepairProject, RepairStatus
from propgraph.resolvers.paging import Page, PageArgs, fetch_page
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT


async def repair_project_page(
    db: RequestDB,
    viewer: Viewer,
    args: PageArgs,
    *,
    status: RepairStatus | None = None,
    kind: RepairKind | None = None,
    project_id: int | None = None,
    by_project: bool = False,
) -> Page[Any]:
    """A page of the repair projects the viewer may see; ``by_project`` narrows them
    to ``project_id`` (``None`` then matches nothing: an id that decoded to nothing)."""
    query = REPAIR_PROJECT.scoped(viewer)
    if status is not None:
        query = query.where(RepairProject.status == status)
    if kind is not None:
        query = query.where(RepairProject.kind == kind)
    if by_project:
        query = query.where(RepairProject.project_id == project_id)
    return await fetch_page(db, query, RepairProject.id, args)
