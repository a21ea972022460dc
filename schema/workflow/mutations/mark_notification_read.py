"""markNotificationRead (every account): a read receipt for one of your notifications."""

from __future__ import annotations

import strawberry
from sqlalchemy import exists, insert, select

from propgraph.models import Notification as NotificationRow
from propgraph.models import NotificationRead
from propgraph.resolvers.workflow.kinds import NOTIFICATION
from propgraph.schema.errors import UserError
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.text import CheckedInput
from propgraph.schema.workflow.types import Notification
from propgraph.workflows.errors import not_found


@strawberry.input(description="Mark one of your notifications read.")
class MarkNotificationReadInput(CheckedInput):
    id: strawberry.ID


@strawberry.type
class NotificationPayload:
    notification: Notification | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


class MarkNotificationRead(BaseMutation):
    name = "markNotificationRead"
    description = "Mark one of your notifications read (again is harmless)."
    input_type = MarkNotificationReadInput
    payload_type = NotificationPayload

    @classmethod
    async def perform(cls, write: Write, data: MarkNotificationReadInput) -> NotificationPayload:
        pk = pk_of(data.id, "Notification")
        row = (
            await write.conn.execute(
                NOTIFICATION.scoped(write.viewer).where(NotificationRow.id == pk)
            )
        ).first()
        if row is None:
            raise not_found("notification")
        already = await write.conn.scalar(
            select(
                exists().where(
                    NotificationRead.notification_id == row.id,
                    NotificationRead.account_id == write.actor.id,
                )
            )
        )
        if not already:
            await write.conn.execute(
                insert(NotificationRead).values(
                    notification_id=row.id, account_id=write.actor.id, read_at=write.now
                )
            )
        return NotificationPayload(notification=Notification.from_row(row))
