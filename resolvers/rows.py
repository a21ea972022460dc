"""Reading one row inside a mutation's transaction: through the viewer's scope,
or again after a write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, select

from propgraph.models import Project
from propgraph.workflows.errors import not_found

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from propgraph.authz.viewer import Viewer
    from propgraph.resolvers.graph.kinds import NodeKind


async def visible(
    conn: AsyncConnection,
    viewer: Viewer,
    kind: NodeKind,
    pk: int | None,
    what: str,
    field: str = "id",
) -> Row[Any]:
    """The row if the viewer may see it; NOT_FOUND otherwise, either way."""
    row = None
    if pk is not None:
        row = (await conn.execute(kind.scoped(viewer).where(kind.id == pk))).first()
    if row is None:
        raise not_found(what, field)
    return row


async def visible_project(
    conn: AsyncConnection, viewer: Viewer, pk: int | None, field: str = "projectId"
) -> Row[Any]:
    """The project (its whole table row) if the viewer may see it; NOT_FOUND otherwise."""
    row = None
    if pk is not None:
        row = (
            await conn.execute(select(Project).where(Project.id == pk, viewer.scope.projects()))
        ).first()
    if row is None:
        raise not_found("project", field)
    return row


async def reread(conn: AsyncConnection, kind: NodeKind, pk: int) -> Row[Any]:
    """The row as the type reads it (``kind.columns()``), e.g. after an insert."""
    return (await conn.execute(kind.columns().where(kind.id == pk))).one()
