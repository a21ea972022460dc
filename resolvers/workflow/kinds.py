"""Node kinds of to-dos and notifications, filtered by who the viewer is.

A pending to-do is addressed to a level (role + scope node): every account
of that office sees it. A done one shows for the account that acted. A
notification shows for its recipient account, or for every account with
the phone number it was sent to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, and_, false, or_, select

from propgraph.authz.scope import Predicate
from propgraph.authz.viewer import Viewer
from propgraph.models import Channel, Notification, Todo, TodoStatus
from propgraph.models.account import SCOPE_COLUMN
from propgraph.models.enums import Role
from propgraph.resolvers.graph.kinds import NodeKind


class AuditRow(Protocol):
    """An audit entry as the timelines read it (``select(AuditEntry)``)."""

    at: datetime
    actor_username: str
    actor_role: Role
    action: str
    from_status: str | None
    to_status: str
    comment: str | None


class TodoRow(Protocol):
    """A row of ``TODO.columns()``."""

    id: int
    kind: str
    title: str
    subject_type: str
    subject_id: int
    status: TodoStatus
    created_at: datetime
    done_at: datetime | None


class NotificationRow(Protocol):
    """A row of ``NOTIFICATION.columns()``."""

    id: int
    channel: Channel
    template: str
    text: str
    created_at: datetime
    subject_type: str | None
    subject_id: int | None


def todos_for(viewer: Viewer, status: TodoStatus | None = None) -> Predicate:
    """The viewer's to-dos: pending for its role and office, or done by its account.

    With ``status``, only that branch: the other cannot match, but PostgreSQL
    does not prune an ``OR`` by a contradiction, and scanned the whole table
    for the done branch of a pending list (to-dos only grow).
    """
    account = viewer.account
    if account is None:
        return false()
    column = SCOPE_COLUMN[Role(account.role)]
    pending = and_(Todo.status == TodoStatus.PENDING, Todo.role == account.role)
    addressed_by = Todo.__table__.c
    if column is not None and column in addressed_by:
        pending = and_(pending, addressed_by[column] == getattr(account, column))
    elif column is not None:
        # Owners and delegates: a to-do has no column to address an owner or
        # a delegation by, so none is pending for them (yet).
        pending = false()
    done = and_(Todo.status == TodoStatus.DONE, Todo.done_by_id == account.id)
    if status is None:
        return or_(pending, done)
    return pending if status is TodoStatus.PENDING else done


def todos_in(viewer: Viewer, status: TodoStatus) -> Select[*tuple[Any, ...]]:
    """The viewer's to-dos in ``status``, with the columns the type needs."""
    return TODO.columns().where(todos_for(viewer, status))


def notifications_for(viewer: Viewer) -> Predicate:
    account = viewer.account
    if account is None:
        return false()
    mine = Notification.recipient_account_id == account.id
    if account.phone:
        return or_(mine, Notification.recipient_phone == account.phone)
    return mine


TODO = NodeKind(
    "Todo",
    Todo,
    None,
    lambda: select(
        Todo.id,
        Todo.kind,
        Todo.title,
        Todo.subject_type,
        Todo.subject_id,
        Todo.status,
        Todo.created_at,
        Todo.done_at,
    ),
    row_filter=todos_for,
)


def _notification_columns() -> Select[*tuple[Any, ...]]:
    return select(
        Notification.id,
        Notification.channel,
        Notification.template,
        Notification.text,
        Notification.created_at,
        Notification.subject_type,
        Notification.subject_id,
    )


NOTIFICATION = NodeKind(
    "Notification",
    Notification,
    None,
    _notification_columns,
    row_filter=notifications_for,
)
