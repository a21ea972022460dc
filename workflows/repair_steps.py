"""The repair flow's steps that touch more than the project row (SPEC 3.4).

Each step runs inside the caller's transaction and takes its transition
through ``repair.MACHINE`` (version check, audit, to-dos, notifications):
the owners' meeting a vote opens and the result the project follows, the
payments that debit the sharing units to the fen, refunds, cancellation.
The rules that decide are the pure functions of ``workflows/repair.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow
from propgraph.clock import CITY_TZ, local_date
from propgraph.models import (
    Meeting,
    MeetingStatus,
    Project,
    RepairShare,
    RepairStage,
    Role,
    Topic,
    Unit,
    Vote,
    VotingRule,
)
from propgraph.models.base import Cents
from propgraph.models.repair import RepairKind
from propgraph.models.repair import RepairStatus as S
from propgraph.models.voting import VoteChoice
from propgraph.resolvers.owners.kinds import MEETING
from propgraph.workflows import funds, meetings, repair, todos
from propgraph.workflows.counting import NONE, Count, Tally, passes
from propgraph.workflows.errors import invalid, invalid_state

MAX_AHEAD = timedelta(days=3660)


async def apply(
    conn: AsyncConnection,
    *,
    action: str,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    values: Mapping[str, Any] | None = None,
    comment: str | None = None,
    facts: Mapping[str, Any] | None = None,
) -> Any:
    """``repair.MACHINE.apply`` with the project's name among the facts of its texts."""
    name = await conn.scalar(select(Project.name).where(Project.id == row.project_id))
    return await repair.MACHINE.apply(
        conn,
        action=action,
        row=row,
        actor=actor,
        now=now,
        version=version,
        values=values,
        comment=comment,
        facts={"project_name": name, **(facts or {})},
    )


def _check(action: str, row: Any, actor: AccountRow, version: int) -> None:
    """The table's refusals (version, role, status) before the step's own rules."""
    repair.MACHINE.check(action, row=row, actor=actor, version=version)


# --- the owners' vote -------------------------------------------------------------------


async def start_vote(
    conn: AsyncConnection,
    *,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    starts: datetime,
    ends: datetime,
) -> Any:
    """Open an owners' meeting with one DOUBLE_TWO_THIRDS topic; the project is VOTING.

    The meeting is held under the project's community office (it supervises
    owners' meetings and sees the live totals); the applicant opens it.
    """
    _check(repair.START_VOTE, row, actor, version)
    repair.check_vote_kind(row.kind)
    if starts.tzinfo is None or ends.tzinfo is None:
        raise invalid("votingStartsAt", "Give the voting period with a UTC offset.")
    if starts <= now:
        raise invalid("votingStartsAt", "Voting must start in the future.")
    if ends <= starts:
        raise invalid("votingEndsAt", "Voting must end after it starts.")
    if ends - now > MAX_AHEAD:
        raise invalid("votingEndsAt", "A vote is planned at most ten years ahead.")
    project = (await conn.execute(select(Project.name).where(Project.id == row.project_id))).one()
    title = f"维修资金使用表决：{row.title}"[:255]
    meeting_id = (
        await conn.execute(
            insert(Meeting)
            .values(
                project_id=row.project_id,
                community_id=row.community_id,
                street_id=row.street_id,
                district_id=row.district_id,
                title=title,
                publicity_starts_on=local_date(now),
                voting_starts_at=starts,
                voting_ends_at=ends,
                status=MeetingStatus.PUBLICITY,
                opened_by_role=Role.COMMUNITY,
                opened_by_scope_id=row.community_id,
                opened_by_id=actor.id,
                version=1,
                created_at=now,
            )
            .returning(Meeting.id)
        )
    ).scalar_one()
    topic = f"同意使用专项维修资金{row.budget}元：{row.title}"[:255]
    await conn.execute(
        insert(Topic).values(
            meeting_id=meeting_id, position=0, title=topic, rule=VotingRule.DOUBLE_TWO_THIRDS
        )
    )
    meeting = (await conn.execute(MEETING.columns().where(Meeting.id == meeting_id))).one()
    await meetings.MACHINE.record(
        conn,
        subject_id=meeting_id,
        actor=actor,
        at=now,
        action=meetings.OPEN,
        from_status=None,
        to_status=MeetingStatus.PUBLICITY,
        comment=f"repair project {row.id}",
    )
    template, text = meetings.OWNER_MESSAGES[meetings.OPEN]
    text = text.format(
        project=project.name,
        title=title,
        starts=starts.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M"),
        ends=ends.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M"),
        reason=None,
    )
    await meetings.notify_owners(conn, meeting, template, text, project_name=project.name, now=now)
    await meetings.open_voter_todos(conn, meeting, project.name, now)
    return await apply(
        conn,
        action=repair.START_VOTE,
        row=row,
        actor=actor,
        now=now,
        version=version,
        values={"meeting_id": meeting_id},
    )


async def vote_outcome(conn: AsyncConnection, meeting_id: int, now: datetime) -> bool | None:
    """``None`` while the meeting runs; then whether its topic passed (a cancelled
    meeting did not)."""
    meeting = (await conn.execute(MEETING.columns().where(Meeting.id == meeting_id))).one()
    status = meetings.meeting_status(meeting, now)
    if status == MeetingStatus.CANCELLED:
        return False
    if status != MeetingStatus.CLOSED:
        return None
    topic = (
        await conn.execute(select(Topic.id, Topic.rule).where(Topic.meeting_id == meeting_id))
    ).one()
    eligible = (
        await conn.execute(
            select(func.count().label("units"), func.sum(Unit.floor_area).label("area")).where(
                Unit.project_id == meeting.project_id
            )
        )
    ).one()
    by_choice = {
        VoteChoice(r.choice): Tally(r.units, Fraction(r.area or 0))
        for r in await conn.execute(
            select(
                Vote.choice,
                func.count().label("units"),
                func.sum(Unit.floor_area).label("area"),
            )
            .join(Unit, Unit.id == Vote.unit_id)
            .where(Vote.topic_id == topic.id, Unit.project_id == meeting.project_id)
            .group_by(Vote.choice)
        )
    }
    agree = by_choice.get(VoteChoice.AGREE, NONE)
    disagree = by_choice.get(VoteChoice.DISAGREE, NONE)
    abstain = by_choice.get(VoteChoice.ABSTAIN, NONE)
    count = Count(
        eligible=Tally(eligible.units, Fraction(eligible.area or 0)),
        participating=Tally(
            agree.units + disagree.units + abstain.units, agree.area + disagree.area + abstain.area
        ),
        agree=agree,
        disagree=disagree,
        abstain=abstain,
    )
    return passes(VotingRule(topic.rule), count)


async def publish(
    conn: AsyncConnection, *, row: Any, actor: AccountRow, now: datetime, version: int
) -> Any:
    """Publicity: at once for an emergency, after the vote for the others. A vote that
    failed (or a meeting cancelled) ends the project instead."""
    _check(repair.PUBLISH, row, actor, version)
    repair.check_publish(row.kind, row.status)
    if row.status == S.VOTING:
        outcome = await vote_outcome(conn, row.meeting_id, now)
        if outcome is None:
            raise invalid_state("The owners are still voting; publish once the vote has closed.")
        if not outcome:
            return await apply(
                conn, action=repair.VOTE_FAILED, row=row, actor=actor, now=now, version=version
            )
    return await apply(conn, action=repair.PUBLISH, row=row, actor=actor, now=now, version=version)


async def submit(
    conn: AsyncConnection, *, row: Any, actor: AccountRow, now: datetime, version: int
) -> Any:
    _check(repair.SUBMIT, row, actor, version)
    repair.check_submit(row.kind, row.status, row.accepted_at is not None)
    return await apply(conn, action=repair.SUBMIT, row=row, actor=actor, now=now, version=version)


async def review(
    conn: AsyncConnection,
    *,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    approve: bool,
    comment: str | None,
) -> Any:
    action = repair.APPROVE if approve else repair.REJECT
    _check(action, row, actor, version)
    if not approve and not comment:
        raise invalid("comment", "A rejection needs a reason.")
    return await apply(
        conn, action=action, row=row, actor=actor, now=now, version=version, comment=comment
    )


async def accept(
    conn: AsyncConnection,
    *,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    settled: Decimal,
) -> Any:
    """The acceptance and its publicity: the settled amount caps the payments."""
    _check(repair.ACCEPT, row, actor, version)
    repair.check_accept(row.kind, row.status, budget=row.budget, paid=row.paid, settled=settled)
    return await apply(
        conn,
        action=repair.ACCEPT,
        row=row,
        actor=actor,
        now=now,
        version=version,
        values={"settled_amount": settled, "accepted_at": now},
    )


# --- money ------------------------------------------------------------------------------


async def pay(
    conn: AsyncConnection,
    *,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    stage: int,
    amount: Decimal,
) -> Any:
    """Pay ``amount`` of ``stage``, debited from the sharing units in proportion to what
    each still owes of its share, to the fen, the portions adding up exactly."""
    _check(repair.PAY, row, actor, version)
    stages = {
        s.position: s  # labelled: a Row's ``index`` is the tuple method
        for s in await conn.execute(
            select(RepairStage.index.label("position"), RepairStage.amount, RepairStage.paid).where(
                RepairStage.repair_project_id == row.id
            )
        )
    }
    if stage not in stages:
        raise invalid("stage", f"The plan has stages 1 to {len(stages)}.")
    closing = repair.check_payment(
        repair.Payment(
            kind=RepairKind(row.kind),
            budget=row.budget,
            paid=row.paid,
            settled=row.settled_amount,
            stage=stage,
            last_stage=max(stages),
            stage_amount=stages[stage].amount,
            stage_paid=stages[stage].paid,
        ),
        amount,
    )
    shares = (
        await conn.execute(
            select(RepairShare.id, RepairShare.unit_id, RepairShare.amount, RepairShare.paid)
            .where(RepairShare.repair_project_id == row.id, RepairShare.paid < RepairShare.amount)
            .order_by(RepairShare.unit_id)
        )
    ).all()
    owed = [(s.unit_id, s.amount - s.paid) for s in shares]
    if sum((o for _, o in owed), Decimal(0)) < amount:  # shares add up to the budget
        raise invalid_state("The shares left to pay do not cover this payment.")
    portions = repair.apportion(amount, owed)
    # The project row first: of two racing payments the second gets CONFLICT here.
    current = await apply(
        conn,
        action=repair.PAY_OFF if closing else repair.PAY,
        row=row,
        actor=actor,
        now=now,
        version=version,
        values={"paid": row.paid + amount},
        facts={"stage": stage, "amount": amount},
    )
    moved = await conn.execute(
        update(RepairStage)
        .where(
            RepairStage.repair_project_id == row.id,
            RepairStage.index == stage,
            RepairStage.paid + amount <= RepairStage.amount,
        )
        .values(paid=RepairStage.paid + amount)
    )
    if moved.rowcount != 1:
        raise invalid("amount", f"Stage {stage} has less left than {amount}.")
    portion = bindparam("portion", type_=Cents())
    await conn.execute(
        update(RepairShare)
        .where(RepairShare.id == bindparam("share"))
        .values(paid=RepairShare.paid + portion),
        [{"share": s.id, "portion": portions[s.unit_id]} for s in shares if portions[s.unit_id]],
    )
    await funds.debit(
        conn, portions, project_id=row.project_id, reference=f"repair_project:{row.id}", now=now
    )
    return current


async def refund(
    conn: AsyncConnection, *, row: Any, actor: AccountRow, now: datetime, version: int
) -> Any:
    """清退: every paid fen goes back to the unit it came from; the plan is unpaid again."""
    _check(repair.REFUND, row, actor, version)
    if not row.paid:
        raise invalid_state("Nothing paid is left to refund.")
    shares = (
        await conn.execute(
            select(RepairShare.unit_id, RepairShare.paid).where(
                RepairShare.repair_project_id == row.id, RepairShare.paid > 0
            )
        )
    ).all()
    current = await apply(
        conn,
        action=repair.REFUND,
        row=row,
        actor=actor,
        now=now,
        version=version,
        values={"paid": Decimal(0)},
        facts={"refunded": row.paid},
    )
    await conn.execute(
        update(RepairShare).where(RepairShare.repair_project_id == row.id).values(paid=0)
    )
    await conn.execute(
        update(RepairStage).where(RepairStage.repair_project_id == row.id).values(paid=0)
    )
    await funds.refund(
        conn,
        {s.unit_id: s.paid for s in shares},
        project_id=row.project_id,
        reference=f"repair_project:{row.id}",
        now=now,
    )
    return current


async def cancel(
    conn: AsyncConnection,
    *,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    reason: str,
) -> Any:
    """撤销: only with nothing paid left; a vote still running is cancelled with it."""
    _check(repair.CANCEL, row, actor, version)
    if row.paid:
        raise invalid_state(f"{row.paid} yuan are paid; refund them before cancelling.")
    if row.meeting_id is not None:
        await _cancel_meeting(conn, row.meeting_id, actor, now, reason)
    return await apply(
        conn,
        action=repair.CANCEL,
        row=row,
        actor=actor,
        now=now,
        version=version,
        comment=reason,
    )


async def _cancel_meeting(
    conn: AsyncConnection, meeting_id: int, actor: AccountRow, now: datetime, reason: str
) -> None:
    meeting = (await conn.execute(MEETING.columns().where(Meeting.id == meeting_id))).one()
    if meetings.meeting_status(meeting, now) in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        return
    await conn.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id)
        .values(
            status=MeetingStatus.CANCELLED,
            cancel_reason=f"维修项目已撤销：{reason}"[:1000],
            version=Meeting.version + 1,
        )
    )
    await meetings.MACHINE.record(
        conn,
        subject_id=meeting_id,
        actor=actor,
        at=now,
        action=meetings.CANCEL,
        from_status=meeting.status,
        to_status=MeetingStatus.CANCELLED,
        comment=reason,
    )
    await todos.close_todos(
        conn, subject_type=meetings.SUBJECT, subject_id=meeting_id, done_by=actor.id, now=now
    )
