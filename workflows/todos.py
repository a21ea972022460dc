"""To-dos (待办/已办): pending for a level, done for whoever acted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph import live
from propgraph.models import Role, Todo, TodoStatus
from propgraph.models.account import SCOPE_COLUMN


async def open_todo(
    conn: AsyncConnection,
    *,
    kind: str,
    title: str,
    subject_type: str,
    subject_id: int,
    role: Role,
    scope_id: int | None,
    now: datetime,
) -> None:
    """A pending item for every account of ``role`` whose scope node is ``scope_id``."""
    values = {
        "kind": kind,
        "title": title,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "role": role,
        "status": TodoStatus.PENDING,
        "created_at": now,
    }
    column = SCOPE_COLUMN[role]
    if column is not None:
        values[column] = scope_id
    opened = await conn.execute(insert(Todo).values(**values).returning(Todo.id))
    await live.todos_changed(conn, list(opened.scalars()))


async def close_todos(
    conn: AsyncConnection, *, subject_type: str, subject_id: int, done_by: int, now: datetime
) -> None:
    """The subject's pending items are done, by the account that acted."""
    closed = await conn.execute(
        update(Todo)
        .where(
            Todo.subject_type == subject_type,
            Todo.subject_id == subject_id,
            Todo.status == TodoStatus.PENDING,
        )
        .values(status=TodoStatus.DONE, done_at=now, done_by_id=done_by)
        .returning(Todo.id)
    )
    await live.todos_changed(conn, list(closed.scalars()))
