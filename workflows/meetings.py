"""Owners' meetings (业主大会, SPEC 3.2, seed 002): the whole state machine as data.

    (none) ─open→ PUBLICITY ─clock: votingStartsAt→ VOTING ─clock: votingEndsAt→ CLOSED
                  PUBLICITY ─cancel (the opening office, before voting starts)→ CANCELLED

Only ``open`` and ``cancel`` are written; the clock moves a meeting from
PUBLICITY to VOTING and to CLOSED (``status_at``), so no scheduler has to
run at the minute voting opens. The voters of a meeting are those effective
when its voting opens (workflows/voters.py reads the nominations made
before that moment).

Issue 10's generic transition table had not landed on main when this was
written; ``TRANSITIONS`` follows its description (action, from → to, who,
audit action, notices with their texts, to-dos) so it can move onto it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow
from propgraph.clock import CITY_TZ, local_date
from propgraph.models import (
    Account,
    Channel,
    Delegation,
    MeetingStatus,
    Owner,
    Role,
    Unit,
    UnitOwner,
)
from propgraph.workflows import outbox, todos
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import forbidden, invalid_state
from propgraph.workflows.voters import voters_of_units

SUBJECT = "Meeting"
OFFICES = frozenset({Role.STREET, Role.COMMUNITY})


@dataclass(frozen=True)
class Notice:
    template: str
    text: str  # str.format fields: project, title, starts, ends, reason


@dataclass(frozen=True)
class Transition:
    action: str
    from_status: MeetingStatus | None
    to_status: MeetingStatus
    who: frozenset[Role]  # any position; cancel: only the opening office
    audit: str
    notice: Notice
    opens_voter_todos: bool = False
    closes_todos: bool = False


TRANSITIONS: dict[str, Transition] = {
    "open": Transition(
        action="open",
        from_status=None,
        to_status=MeetingStatus.PUBLICITY,
        who=OFFICES,
        audit="meeting.open",
        notice=Notice(
            "meeting.opened",
            "【物业监管平台】{project}业主大会“{title}”已发布公示，投票时间{starts}至{ends}，"
            "请登录系统查看议题并按时投票。",
        ),
        opens_voter_todos=True,
    ),
    "cancel": Transition(
        action="cancel",
        from_status=MeetingStatus.PUBLICITY,
        to_status=MeetingStatus.CANCELLED,
        who=OFFICES,
        audit="meeting.cancel",
        notice=Notice(
            "meeting.cancelled",
            "【物业监管平台】{project}业主大会“{title}”已取消：{reason}。",
        ),
        closes_todos=True,
    ),
}
TODO_KIND = "meeting.vote"
TODO_TITLE = "参与业主大会投票：{project}“{title}”"


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


def meeting_status(row: Any, now: datetime) -> MeetingStatus:
    return status_at(MeetingStatus(row.status), row.voting_starts_at, row.voting_ends_at, now)


def is_opening_office(row: Any, role: str | None, account: Any) -> bool:
    """Whether the account belongs to the office that opened the meeting."""
    if account is None or role != row.opened_by_role:
        return False
    column = "street_id" if role == Role.STREET else "community_id"
    return getattr(account, column) == row.opened_by_scope_id


# --- performing a transition inside the caller's transaction ----------------------


def check_actor(name: str, row: Any, actor: Any) -> None:
    """Who may take the transition: its roles; cancelling, only the opening office."""
    transition = TRANSITIONS[name]
    if Role(actor.role) not in transition.who:
        raise forbidden()
    if name != "open" and not is_opening_office(row, actor.role, actor):
        raise forbidden("Only the office that opened the meeting may do this.")


def check_from(name: str, row: Any, now: datetime) -> MeetingStatus:
    status = meeting_status(row, now)
    expected = TRANSITIONS[name].from_status
    if status != expected:
        raise invalid_state(
            f"The meeting is {status.value}; this needs it {expected.value if expected else 'new'}."
        )
    return status


async def apply(
    conn: AsyncConnection,
    *,
    name: str,
    meeting: Any,
    project_name: str,
    actor: AccountRow,
    now: datetime,
    comment: str | None = None,
) -> None:
    """Audit, notices and to-dos of one transition; the row is already written."""
    transition = TRANSITIONS[name]
    await record_transition(
        conn,
        subject_type=SUBJECT,
        subject_id=meeting.id,
        actor=actor,
        at=now,
        action=transition.audit,
        from_status=transition.from_status.value if transition.from_status else None,
        to_status=transition.to_status.value,
        comment=comment,
    )
    starts = meeting.voting_starts_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M")
    ends = meeting.voting_ends_at.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M")
    text = transition.notice.text.format(
        project=project_name, title=meeting.title, starts=starts, ends=ends, reason=comment
    )
    await notify_owners(
        conn, meeting, transition.notice.template, text, project_name=project_name, now=now
    )
    if transition.closes_todos:
        await todos.close_todos(
            conn, subject_type=SUBJECT, subject_id=meeting.id, done_by=actor.id, now=now
        )
    if transition.opens_voter_todos:
        await open_voter_todos(conn, meeting, project_name, now)


async def notify_owners(
    conn: AsyncConnection,
    meeting: Any,
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
    common = {
        "template": template,
        "text": text,
        "payload": {"meeting_id": meeting.id, "project": project_name, "title": meeting.title},
        "now": now,
        "subject": (SUBJECT, meeting.id),
    }
    await outbox.enqueue(conn, channel=Channel.WECHAT, account_ids=accounts.scalars(), **common)
    for phone in sorted(phones.scalars()):
        await outbox.enqueue(conn, channel=Channel.SMS, phone=phone, **common)


async def open_voter_todos(
    conn: AsyncConnection, meeting: Any, project_name: str, now: datetime
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
    title = TODO_TITLE.format(project=project_name, title=meeting.title)
    for owner_id in sorted(voters):
        role, scope = (
            (Role.DELEGATE, delegated[owner_id])
            if owner_id in delegated
            else (Role.OWNER, owner_id)
        )
        await todos.open_todo(
            conn,
            kind=TODO_KIND,
            title=title,
            subject_type=SUBJECT,
            subject_id=meeting.id,
            role=role,
            scope_id=scope,
            now=now,
        )
