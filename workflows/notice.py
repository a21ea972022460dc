"""Notices (通知发布, SPEC 3.3, seed 001 §16) and urging (催办).

    an office publishes → PUBLISHED ─the office urges the unread→ PUBLISHED

Publishing addresses every enabled MANAGER account whose project lies in the
office's subtree: a WECHAT message each (through the outbox) and a to-do
"read the notice" per project. Reading closes that project's to-do. Urging
re-notifies exactly the recipients that have not read it, by WECHAT and SMS.
The messages go to a set of accounts, not one column of the row, so this
module queues them itself; the table checks who may publish and urge and
writes the audit entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph import live
from propgraph.authz.viewer import AccountRow
from propgraph.models import Account, Channel, NoticeRecipient, Project, Role, Todo, TodoStatus
from propgraph.resolvers.notice.kinds import NOTICE, NoticeRow
from propgraph.workflows import outbox
from propgraph.workflows.errors import invalid
from propgraph.workflows.machine import Machine, Transition

SUBJECT = NOTICE.name
PUBLISHED = "PUBLISHED"
OFFICES = (Role.CITY, Role.DISTRICT, Role.STREET, Role.COMMUNITY)

PUBLISH = "notice.publish"
URGE = "notice.urge"

PUBLISHED_TEXT = "【物业监管平台】{publisher}发布通知《{title}》，请及时登录系统查阅。"
URGED_TEXT = "【物业监管平台】催办：{publisher}发布的通知《{title}》您尚未查阅，请尽快查阅。"
READ_TODO = "查阅通知：{title}"

MACHINE = Machine(
    kind=NOTICE,
    subject_key="notice_id",
    transitions=(
        Transition(action=PUBLISH, sources=(), target=PUBLISHED, roles=OFFICES,
                   note="to {recipients} managers"),
        Transition(action=URGE, sources=(PUBLISHED,), target=PUBLISHED, roles=OFFICES,
                   note="urged {unread} unread"),
    ),
)  # fmt: skip


def parse_text(value: str | None, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid(field, f"`{field}` is required.")
    if len(text) > limit:
        raise invalid(field, f"`{field}` may have at most {limit} characters.")
    return text


async def managers_below(conn: AsyncConnection, scope: Any) -> Sequence[Any]:
    """Enabled MANAGER accounts whose project the publishing office sees."""
    return (
        await conn.execute(
            select(Account.id, Account.phone, Account.project_id)
            .join(Project, Project.id == Account.project_id)
            .where(Account.role == Role.MANAGER, Account.disabled.is_(False), scope.projects())
            .order_by(Account.id)
        )
    ).all()


async def address(
    conn: AsyncConnection, notice: NoticeRow, managers: Sequence[Any], publisher: str, now: datetime
) -> None:
    """Recipients, their WECHAT messages and one to-do per project."""
    if managers:
        await conn.execute(
            insert(NoticeRecipient),
            [{"notice_id": notice.id, "account_id": m.id, "project_id": m.project_id}
             for m in managers],
        )  # fmt: skip
    await outbox.enqueue(
        conn,
        channel=Channel.WECHAT,
        account_ids=[m.id for m in managers],
        **_message("notice.published", PUBLISHED_TEXT, notice, publisher, now),
    )
    for project_id in sorted({m.project_id for m in managers}):
        opened = await conn.execute(
            insert(Todo)
            .values(
                kind="notice.read", title=READ_TODO.format(title=notice.title),
                subject_type=SUBJECT, subject_id=notice.id, role=Role.MANAGER,
                project_id=project_id, status=TodoStatus.PENDING, created_at=now,
            )
            .returning(Todo.id)
        )  # fmt: skip
        await live.todos_changed(conn, list(opened.scalars()))


async def unread(conn: AsyncConnection, notice_id: int) -> Sequence[Any]:
    return (
        await conn.execute(
            select(Account.id, Account.phone)
            .join(NoticeRecipient, NoticeRecipient.account_id == Account.id)
            .where(NoticeRecipient.notice_id == notice_id, NoticeRecipient.read_at.is_(None))
            .order_by(Account.id)
        )
    ).all()


async def urge(
    conn: AsyncConnection, notice: NoticeRow, accounts: Sequence[Any], publisher: str, now: datetime
) -> None:
    """WECHAT and SMS to exactly the unread recipients."""
    message = _message("notice.urged", URGED_TEXT, notice, publisher, now)
    await outbox.enqueue(
        conn, channel=Channel.WECHAT, account_ids=[a.id for a in accounts], **message
    )
    for phone in sorted({a.phone for a in accounts if a.phone}):
        await outbox.enqueue(conn, channel=Channel.SMS, phone=phone, **message)


async def mark_read(
    conn: AsyncConnection, notice_id: int, account: AccountRow, now: datetime
) -> bool:
    """The receipt, and the project's to-do done; False if it was read before."""
    changed = await conn.execute(
        update(NoticeRecipient)
        .where(
            NoticeRecipient.notice_id == notice_id,
            NoticeRecipient.account_id == account.id,
            NoticeRecipient.read_at.is_(None),
        )
        .values(read_at=now)
    )
    if changed.rowcount != 1:
        return False
    closed = await conn.execute(
        update(Todo)
        .where(
            Todo.subject_type == SUBJECT,
            Todo.subject_id == notice_id,
            Todo.project_id == account.project_id,
            Todo.status == TodoStatus.PENDING,
        )
        .values(status=TodoStatus.DONE, done_at=now, done_by_id=account.id)
        .returning(Todo.id)
    )
    await live.todos_changed(conn, list(closed.scalars()))
    return True


def _message(
    template: str, text: str, notice: NoticeRow, publisher: str, now: datetime
) -> dict[str, Any]:
    return {
        "template": template,
        "text": text.format(publisher=publisher, title=notice.title),
        "payload": {"notice_id": notice.id, "title": notice.title, "publisher": publisher},
        "now": now,
        "subject": (SUBJECT, notice.id),
    }
