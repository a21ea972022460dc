"""To-do and notification types."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from propgraph.resolvers.workflow.dataloaders import ReadAtByNotificationLoader
from propgraph.schema.context import Info
from propgraph.schema.relay import Node, to_global_id
from propgraph.schema.workflow.enums import Channel, TodoStatus

if TYPE_CHECKING:
    from propgraph.resolvers.workflow.kinds import NotificationRow, TodoRow


@strawberry.type(description="A work item: 待办 (pending, for your level) or 已办 (done by you).")
class Todo(Node):
    pk: strawberry.Private[int]
    subject_type: strawberry.Private[str]
    subject_id: strawberry.Private[int]
    kind: str = strawberry.field(description="e.g. subsidy.review, subsidy.submit, subsidy.report.")
    title: str = strawberry.field(description="What is to be done.")
    status: TodoStatus = strawberry.field(description="PENDING or DONE.")
    created_at: datetime = strawberry.field(description="When it arrived.")
    done_at: datetime | None = strawberry.field(description="When it was done.")

    @classmethod
    def from_row(cls, row: TodoRow) -> Todo:
        return cls(
            id=to_global_id("Todo", row.id),
            pk=row.id,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            kind=row.kind,
            title=row.title,
            status=row.status,
            created_at=row.created_at,
            done_at=row.done_at,
        )

    @strawberry.field(description="The object to act on, if you may (still) see it.")
    async def subject(self, info: Info) -> Node | None:
        from propgraph.schema.nodes import load_node

        return await load_node(info, self.subject_type, self.subject_id)


@strawberry.type(description="A message sent to you (WECHAT push or SMS).")
class Notification(Node):
    pk: strawberry.Private[int]
    channel: Channel = strawberry.field(description="SMS or WECHAT.")
    template: str = strawberry.field(description="Which message, e.g. subsidy.returned.")
    text: str = strawberry.field(description="The message as sent.")
    created_at: datetime = strawberry.field(description="When it was written.")

    @classmethod
    def from_row(cls, row: NotificationRow) -> Notification:
        return cls(
            id=to_global_id("Notification", row.id),
            pk=row.id,
            channel=row.channel,
            template=row.template,
            text=row.text,
            created_at=row.created_at,
        )

    @strawberry.field(description="When you marked it read; null while unread.")
    async def read_at(self, info: Info) -> datetime | None:
        loader = info.context.loaders.get(ReadAtByNotificationLoader)
        return await loader.load(self.pk)
