"""Root and viewer fields of to-dos and notifications."""

from __future__ import annotations

from sqlalchemy import exists, func, select

from propgraph.models import Notification as NotificationRow
from propgraph.models import NotificationRead
from propgraph.models import Todo as TodoRow
from propgraph.resolvers.paging import fetch_page
from propgraph.resolvers.workflow.kinds import NOTIFICATION, TODO
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
    query = TODO.scoped(info.context.viewer).where(TodoRow.status == status)
    page = await fetch_page(info.context.db, query, TodoRow.id.desc(), page_args(first, after))
    return Connection.from_page(page, Todo.from_row)


async def notifications(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Notification]:
    query = NOTIFICATION.scoped(info.context.viewer)
    page = await fetch_page(
        info.context.db, query, NotificationRow.id.desc(), page_args(first, after)
    )
    return Connection.from_page(page, Notification.from_row)


async def unread_notifications(info: Info) -> int:
    viewer = info.context.viewer
    account_id = viewer.account.id if viewer.account else -1
    read = exists().where(
        NotificationRead.notification_id == NotificationRow.id,
        NotificationRead.account_id == account_id,
    )
    count: int = await info.context.db.scalar(
        select(func.count()).select_from(NotificationRow).where(NOTIFICATION.visible(viewer), ~read)
    )
    return count
