"""markNotificationRead (every account): a read receipt for one of your notifications."""

from __future__ import annotations

import strawberry

from propgraph.resolvers.rows import visible
from propgraph.resolvers.workflow.kinds import NOTIFICATION
from propgraph.resolvers.workflow.writes import mark_read
from propgraph.schema.errors import UserError
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.text import CheckedInput
from propgraph.schema.workflow.types import Notification


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
        row = await visible(write.conn, write.viewer, NOTIFICATION, pk, "notification")
        await mark_read(write.conn, row.id, write.actor.id, write.now)
        return NotificationPayload(notification=Notification.from_row(row))
