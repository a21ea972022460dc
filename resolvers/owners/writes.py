"""Statements the owners' mutations run inside their transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import Delegation, UnitOwner
from propgraph.resolvers.graph.kinds import NodeKind
from propgraph.resolvers.owners.kinds import DELEGATION
from propgraph.workflows.errors import not_found


async def visible(
    conn: AsyncConnection,
    viewer: Viewer,
    kind: NodeKind,
    pk: int | None,
    what: str,
    field: str = "id",
) -> Any:
    """The row if the viewer may see it; NOT_FOUND otherwise, either way."""
    row = None
    if pk is not None:
        row = (await conn.execute(kind.scoped(viewer).where(kind.id == pk))).first()
    if row is None:
        raise not_found(what, field)
    return row


async def active_delegation(
    conn: AsyncConnection, owner_id: int, project_id: int, today: date
) -> Any | None:
    """The owner's delegation in force today in the project, if any."""
    return (
        await conn.execute(
            DELEGATION.columns().where(
                Delegation.owner_id == owner_id,
                Delegation.project_id == project_id,
                Delegation.revoked_at.is_(None),
                Delegation.starts_on <= today,
                Delegation.ends_on >= today,
            )
        )
    ).first()


async def units_of_owner_in_project(
    conn: AsyncConnection, owner_id: int, project_id: int
) -> list[int]:
    rows = await conn.execute(
        select(UnitOwner.unit_id)
        .where(UnitOwner.owner_id == owner_id, UnitOwner.project_id == project_id)
        .order_by(UnitOwner.unit_id)
    )
    return list(rows.scalars())
