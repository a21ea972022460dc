"""Reads about the signed-in account itself: its delegations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from propgraph.db import RequestDB
from propgraph.models import Delegation, Owner, Project

DELEGATION_COLUMNS = (
    Delegation.id,
    Delegation.owner_id,
    Delegation.project_id,
    Delegation.delegate_name,
    Delegation.delegate_phone,
    Delegation.starts_on,
    Delegation.ends_on,
    Delegation.revoked_at,
    Owner.name.label("owner_name"),
    Project.name.label("project_name"),
)


def _delegations() -> Any:
    return (
        select(*DELEGATION_COLUMNS)
        .join(Owner, Owner.id == Delegation.owner_id)
        .join(Project, Project.id == Delegation.project_id)
    )


async def delegations_given(db: RequestDB, owner_id: int) -> Sequence[Any]:
    return await db.all(
        _delegations().where(Delegation.owner_id == owner_id).order_by(Delegation.id)
    )


async def delegation_by_id(db: RequestDB, delegation_id: int) -> Any | None:
    rows = await db.all(_delegations().where(Delegation.id == delegation_id))
    return rows[0] if rows else None
