"""The viewer's own to-dos and notifications, as root and viewer fields read them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import Notification, NotificationRead, Todo, TodoStatus
from propgraph.resolvers.paging import Page, PageArgs, fetch_page
from propgraph.resolvers.workflow.kinds import NOTIFICATION, TODO, TodoRow, todos_in


async def todo_page(
    db: RequestDB, viewer: Viewer, args: PageArgs, *, status: TodoStatus
) -> Page[Any]:
    """A page of the viewer's to-dos in ``status``, the newest first."""
    return await fetch_page(db, todos_in(viewer, status), Todo.id.desc(), args)


async def todos_by_ids(db: RequestDB, viewer: Viewer, ids: Sequence[int]) -> list[TodoRow]:
    """Those of the to-dos ``ids`` the viewer may see, in id order."""
    query = TODO.scoped(viewer).where(Todo.id.in_(ids)).order_by(Todo.id)
    rows: list[TodoRow] = list(await db.all(query))
    return rows


async def notification_page(db: RequestDB, viewer: Viewer, args: PageArgs) -> Page[Any]:
    """A page of the viewer's notifications, the newest first."""
    return await fetch_page(db, NOTIFICATION.scoped(viewer), Notification.id.desc(), args)


async def unread_count(db: RequestDB, viewer: Viewer) -> int:
    """How many of the viewer's notifications have no read receipt of its account."""
    account_id = viewer.account.id if viewer.account else -1
    read = exists().where(
        NotificationRead.notification_id == Notification.id,
        NotificationRead.account_id == account_id,
    )
    count: int = await db.scalar(
        select(func.count()).select_from(Notification).where(NOTIFICATION.visible(viewer), ~read)
    )
    return count
