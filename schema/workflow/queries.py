"""Root and viewer fields of to-dos and notifications."""

from __future__ import annotations

from propgraph.resolvers.workflow import lists
from propgraph.schema.context import Info
from propgraph.schema.relay import Connection, page_args
from propgraph.schema.workflow.enums import TodoStatus
from propgraph.schema.workflow.types import Notification, Todo


async def todos(
    info: Info,
    status: TodoStatus = TodoStatus.PENDING,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Todo]:
    page = await lists.todo_page(
        info.context.db, info.context.viewer, page_args(first, after), status=status
    )
    return Connection.from_page(page, Todo.from_row)


async def notifications(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Notification]:
    page = await lists.notification_page(
        info.context.db, info.context.viewer, page_args(first, after)
    )
    return Connection.from_page(page, Notification.from_row)


async def unread_notifications(info: Info) -> int:
    return await lists.unread_count(info.context.db, info.context.viewer)
