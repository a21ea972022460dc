"""The audit trail: one append-only row per transition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow
from propgraph.models import AuditEntry


async def record_transition(
    conn: AsyncConnection,
    *,
    subject_type: str,
    subject_id: int,
    actor: AccountRow,
    at: datetime,
    action: str,
    from_status: str | None,
    to_status: str,
    comment: str | None = None,
) -> None:
    await conn.execute(
        insert(AuditEntry).values(
            subject_type=subject_type,
            subject_id=subject_id,
            at=at,
            actor_id=actor.id,
            actor_username=actor.username,
            actor_role=actor.role,
            actor_position=actor.position,
            action=action,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
        )
    )
