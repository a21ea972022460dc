"""The statements the to-do and notification mutations run inside their transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.models import NotificationRead


async def mark_read(
    conn: AsyncConnection, notification_id: int, account_id: int, now: datetime
) -> None:
    """The account's read receipt for the notification, unless it has one already."""
    already = await conn.scalar(
        select(
            exists().where(
                NotificationRead.notification_id == notification_id,
                NotificationRead.account_id == account_id,
            )
        )
    )
    if not already:
        await conn.execute(
            insert(NotificationRead).values(
                notification_id=notification_id, account_id=account_id, read_at=now
            )
        )
