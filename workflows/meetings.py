"""Owners' meetings (业主大会, SPEC 3.2, seed 002): the whole state machine as data.

    create → PUBLICITY ─clock: votingStartsAt→ VOTING ─clock: votingEndsAt→ CLOSED
             PUBLICITY ─cancel (the opening office, before voting starts)→ CANCELLED

``MACHINE`` (workflows/machine.py) holds the written transitions: who may
take them, the audit, the to-dos they close. The clock moves a meeting from
PUBLICITY to VOTING and to CLOSED (``status_at``), so no scheduler has to run
at the minute voting opens; ``OWNER_MESSAGES`` are the texts that go to every
owner of the project (WECHAT to their accounts, SMS to their phones), beyond
the machine's office and manager recipients, and each eligible voter gets a
to-do. The voters of a meeting are those effective when its voting opens
(workflows/voters.py reads the nominations made before that moment).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph import live
from propgraph.authz.viewer import AccountRow
from propgraph.clock import CITY_TZ, local_date
from propgraph.models import (
    Account,
    Channel,
    Delegation,
    MeetingStatus,
    Owner,
    Role,
    TodoStatus,
    Topic,
    Unit,
    UnitOwner,
    Vote,
)
from propgraph.models import Todo as TodoRow
from propgraph.resolvers.owners.kinds import MEETING, MeetingRow
from propgraph.workflows import outbox, todos
from propgraph.workflows.errors import forbidden, invalid_state
from propgraph.workflows.machine import Machine, Transition
from propgraph.workflows.voters import voters_of_units

SUBJECT = MEETING.name
OPEN = "meeting.open"
CANCEL = "meeting.cancel"
DOCUMENT = "meeting.document"  # an upload: audited, not a transition (no new version)
OFFICES = (Role.STREET, Role.COMMUNITY)

MACHINE = Machine(
    kind=MEETING,
    subject_key="meeting_id",
    transitions=(
        Transition(action=OPEN, sources=(), target=MeetingStatus.PUBLICITY, roles=OFFICES),
        Transition(
            action=CANCEL,
            sources=(MeetingStatus.PUBLICITY,),
            target=MeetingStatus.CANCELLED,
            roles=OFFICES,
            refusal="A meeting that is {status} can no longer be cancelled.",
            closes_todos=True,
        ),
    ),
)

# action → (template, text) sent to every owner of the project; str.format over
# project, title, starts, ends (local time) and reason.
OWNER_MESSAGES = {
    OPEN: (
        "meeting.opened",
        "【物业监管平台】{project}业主大会“{title}”已发布公示，投票时间{starts}至{ends}，"
        "请登录系统查看议题并按时投票。",
    ),
    CANCEL: ("meeting.cancelled", "【物业监管平台】{project}业主大会“{title}”已取消：{reason}。"),
}
VOTER_TODO = ("meeting.vote", "参与业主大会投票：{project}“{title}”")  # opened by OPEN


def status_at(
    stored: MeetingStatus, voting_starts_at: datetime, voting_ends_at: datetime, now: datetime
) -> MeetingStatus:
    """The status at ``now``: the stored one, moved on by the clock."""
    if stored == MeetingStatus.CANCELLED:
        return stored
    if now >= voting_ends_at:
        return MeetingStatus.CLOSED
    if now >= voting_starts_at:
        return MeetingStatus.VOTING
    return MeetingStatus.PUBLICITY


def meeting_status(row: MeetingRow, now: datetime) -> MeetingStatus:
    return status_at(MeetingStatus(row.status), row.voting_starts_at, row.voting_ends_at, now)


def is_opening_office(row: MeetingRow, role: str | None, account: Any) -> bool:
    """Whether the account belongs to the office that opened the meeting."""
    if account is None or role != row.opened_by_role:
        return False
    column = "street_id" if role == Role.STREET else "community_id"
    same_office: bool = getattr(account, column) == row.opened_by_scope_id
    return same_office


# --- taking a transition inside the caller's transaction -----------------------------


def check_cancel(row: MeetingRow, actor: AccountRow, now: datetime) -> None:
    """Only the opening office, and only before voting starts (by the clock)."""
    MACHINE.check(CANCEL, row=row, actor=actor, version=row.version)
    if not is_opening_office(row, actor.role, actor):
        raise forbidden("Only the office that opened the meeting may cancel it.")
    status = meeting_status(row, now)
    if status != MeetingStatus.PUBLICITY:
        raise invalid_state(f"A meeting that is {status.value} can no longer be cancelled.")


def check_document(row: Any, actor: AccountRow, now: datetime) -> MeetingStatus:
    """Only the opening office publishes a meeting's documents, until its voting ends."""
    if not is_opening_office(row, actor.role, actor):
        raise forbidden("Only the office that opened the meeting may add its documents.")
    status = meeting_status(row, now)
    if status not in (MeetingStatus.PUBLICITY, MeetingStatus.VOTING):
        raise invalid_state(f"A meeting that is {status.value} takes no more documents.")
    return status


async def apply(
    conn: AsyncConnection,
    *,
    action: str,
    meeting: MeetingRow,
    project_name: str,
    actor: AccountRow,
    now: datetime,
    values: dict[str, Any] | None = None,
    comment: str | None = None,
) -> MeetingRow:
    """The machine's transition, then the owners' messages and the voters' to-dos."""
    version = None if action == OPEN else meeting.version
    row: MeetingRow = await MACHINE.apply(
        conn,
        action=action,
        row=meeting,
        actor=actor,
        now=now,
        version=version,
        values=values,
        comment=comment,
    )
    starts = row.voting_starts_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M")
    ends = row.voting_ends_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M")
    template, text = OWNER_MESSAGES[action]
    text = text.format(
        project=project_name, title=row.title, starts=starts, ends=ends, reason=comment
    )
    await notify_owners(conn, row, template, text, project_name=project_name, now=now)
    if action == OPEN:
        await open_voter_todos(conn, row, project_name, now)
    return row


class _OwnerMessage(TypedDict):
    """The keyword arguments to ``outbox.enqueue`` that every owner's message shares."""

    template: str
    text: str
    payload: dict[str, Any]
    now: datetime
    subject: tuple[str, int]


async def notify_owners(
    conn: AsyncConnection,
    meeting: MeetingRow,
    template: str,
    text: str,
    *,
    project_name: str,
    now: datetime,
) -> None:
    """WECHAT to the project's owners' accounts, SMS to their phones."""
    owners = select(UnitOwner.owner_id).where(UnitOwner.project_id == meeting.project_id)
    accounts = await conn.execute(
        select(Account.id).where(
            Account.role == Role.OWNER, Account.owner_id.in_(owners), Account.disabled.is_(False)
        )
    )
    phones = await conn.execute(
        select(Owner.phone).where(Owner.id.in_(owners), Owner.phone.is_not(None)).distinct()
    )
    common: _OwnerMessage = {
        "template": template,
        "text": text,
        "payload": {"meeting_id": meeting.id, "project": project_name, "title": meeting.title},
        "now": now,
        "subject": (SUBJECT, meeting.id),
    }
    await outbox.enqueue(conn, channel=Channel.WECHAT, account_ids=accounts.scalars(), **common)
    # the query keeps phones that are set; the check tells mypy so
    for phone in sorted(p for p in phones.scalars() if p is not None):
        await outbox.enqueue(conn, channel=Channel.SMS, phone=phone, **common)


async def open_voter_todos(
    conn: AsyncConnection, meeting: MeetingRow, project_name: str, now: datetime
) -> None:
    """A to-do for each eligible voter: the owner, or its delegate while one acts."""
    unit_ids = list(
        (await conn.execute(select(Unit.id).where(Unit.project_id == meeting.project_id))).scalars()
    )
    voters = {v for v in (await voters_of_units(conn, unit_ids)).values() if v is not None}
    today = local_date(now)
    delegated = dict(
        (
            await conn.execute(
                select(Delegation.owner_id, Delegation.id).where(
                    Delegation.project_id == meeting.project_id,
                    Delegation.owner_id.in_(voters),
                    Delegation.revoked_at.is_(None),
                    Delegation.starts_on <= today,
                    Delegation.ends_on >= today,
                )
            )
        ).all()
    )
    kind, title = VOTER_TODO
    title = title.format(project=project_name, title=meeting.title)
    for owner_id in sorted(voters):
        role, scope = (
            (Role.DELEGATE, delegated[owner_id])
            if owner_id in delegated
            else (Role.OWNER, owner_id)
        )
        await todos.open_todo(
            conn,
            kind=kind,
            title=title,
            subject_type=SUBJECT,
            subject_id=meeting.id,
            role=role,
            scope_id=scope,
            now=now,
        )


async def close_voter_todo(
    conn: AsyncConnection, meeting: MeetingRow, owner_id: int, done_by: int, now: datetime
) -> None:
    """Once the owner's units have voted on every topic, its to-do (or its delegate's) is done."""
    units = [
        u
        for u, voter in (
            await voters_of_units(
                conn,
                list(
                    (
                        await conn.execute(
                            select(UnitOwner.unit_id).where(
                                UnitOwner.owner_id == owner_id,
                                UnitOwner.project_id == meeting.project_id,
                            )
                        )
                    ).scalars()
                ),
                before=meeting.voting_starts_at,
            )
        ).items()
        if voter == owner_id
    ]
    topics = await conn.scalar(
        select(func.count()).select_from(Topic).where(Topic.meeting_id == meeting.id)
    )
    cast = await conn.scalar(
        select(func.count())
        .select_from(Vote)
        .where(Vote.meeting_id == meeting.id, Vote.owner_id == owner_id)
    )
    assert topics is not None and cast is not None  # COUNT(*) always yields a row
    if cast < len(units) * topics:
        return
    delegations = select(Delegation.id).where(
        Delegation.owner_id == owner_id, Delegation.project_id == meeting.project_id
    )
    closed = await conn.execute(
        update(TodoRow)
        .where(
            TodoRow.subject_type == SUBJECT,
            TodoRow.subject_id == meeting.id,
            TodoRow.status == TodoStatus.PENDING,
            or_(TodoRow.owner_id == owner_id, TodoRow.delegation_id.in_(delegations)),
        )
        .values(status=TodoStatus.DONE, done_at=now, done_by_id=done_by)
        .returning(TodoRow.id)
    )
    await live.todos_changed(conn, list(closed.scalars()))
