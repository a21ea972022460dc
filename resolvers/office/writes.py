"""The rows an office-work mutation starts from, read through the viewer's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import Evaluation, Project, TenderFiling
from propgraph.resolvers.graph.kinds import NodeKind
from propgraph.resolvers.office.kinds import EVALUATION, TENDER_FILING
from propgraph.workflows.errors import not_found


async def visible_project(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> Any:
    row = None
    if pk is not None:
        row = (
            await conn.execute(select(Project).where(Project.id == pk, viewer.scope.projects()))
        ).first()
    if row is None:
        raise not_found("project", "projectId")
    return row


async def _visible(
    conn: AsyncConnection, viewer: Viewer, kind: NodeKind, model: Any, pk: int | None, what: str
) -> Any:
    row = None
    if pk is not None:
        row = (await conn.execute(kind.scoped(viewer).where(model.id == pk))).first()
    if row is None:
        raise not_found(what)
    return row


async def visible_evaluation(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> Any:
    return await _visible(conn, viewer, EVALUATION, Evaluation, pk, "evaluation")


async def visible_filing(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> Any:
    return await _visible(conn, viewer, TENDER_FILING, TenderFiling, pk, "tender filing")


async def reread(conn: AsyncConnection, kind: NodeKind, pk: int) -> Any:
    return (await conn.execute(kind.columns().where(kind.id == pk))).one()
