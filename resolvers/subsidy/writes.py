"""Statements the subsidy mutations run inside their transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import SubsidyApplication, SubsidyRound
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_ROUND
from propgraph.workflows.errors import conflict, not_found


async def visible_application(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> Any:
    """The application if the viewer may see it; NOT_FOUND otherwise, either way."""
    row = None
    if pk is not None:
        row = (
            await conn.execute(
                SUBSIDY_APPLICATION.scoped(viewer).where(SubsidyApplication.id == pk)
            )
        ).first()
    if row is None:
        raise not_found("subsidy application")
    return row


async def visible_round(conn: AsyncConnection, viewer: Viewer, pk: int | None, field: str) -> Any:
    row = None
    if pk is not None:
        row = (
            await conn.execute(SUBSIDY_ROUND.scoped(viewer).where(SubsidyRound.id == pk))
        ).first()
    if row is None:
        raise not_found("subsidy round", field)
    return row


async def update_versioned(
    conn: AsyncConnection, app: Any, expected_version: int, **values: Any
) -> Any:
    """Change the application only if nobody changed it since ``expected_version``.

    The version is compared in the UPDATE itself: of two racing writers, the
    second finds no row at its version (PostgreSQL re-checks the WHERE after
    the first commits; SQLite writers are serialized by BEGIN IMMEDIATE).
    """
    if app.version != expected_version:
        raise conflict()
    result = await conn.execute(
        update(SubsidyApplication)
        .where(SubsidyApplication.id == app.id, SubsidyApplication.version == expected_version)
        .values(version=expected_version + 1, **values)
    )
    if result.rowcount != 1:
        raise conflict()
    return (
        await conn.execute(SUBSIDY_APPLICATION.columns().where(SubsidyApplication.id == app.id))
    ).one()
