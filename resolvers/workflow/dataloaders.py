"""Per-request loaders of to-dos and notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import NotificationRead
from propgraph.resolvers.sql import ids_in


class ReadAtByNotificationLoader(DataLoader[int, datetime | None]):
    """When the viewer read each notification (read receipts are per account)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        account_id = viewer.account.id if viewer.account else -1

        async def load(ids: list[int]) -> list[datetime | None]:
            rows = await db.all(
                select(NotificationRead.notification_id, NotificationRead.read_at).where(
                    NotificationRead.account_id == account_id,
                    ids_in(NotificationRead.notification_id, ids, db.dialect),
                )
            )
            read = {row.notification_id: row.read_at for row in rows}
            return [read.get(pk) for pk in ids]

        super().__init__(load_fn=load)
