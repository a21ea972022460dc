"""Owners' demo data (SPEC 3.2): nominations, three meetings with ballots, ratings.

The meetings are opened by the project's street office through the real
mutation (audit, notices, voters' to-dos); the ballots are entered as paper
ballots (纸质表决票: ``account_id`` null), since most owners have no account,
and the nominations and ratings as imported rows. The project chosen is the
one with the most shared units, among projects where no demo owner account
owns a unit, so the accounts' own projects stay clean for trying things out.

One more meeting, in voting until 2030 with no ballots yet, is opened in the
first project, where owner 1 (``owner_1``: verified, the sole owner and so
the voter of two units there) can cast its own votes through the API.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.authz.policy import load_enforcer
from propgraph.clock import CITY_TZ
from propgraph.datasets.generate import MULTI_UNIT_OWNER
from propgraph.datasets.workflow import _Actor, _SilentSender
from propgraph.models import (
    RATING_ITEMS,
    Account,
    Owner,
    OwnerVerification,
    Project,
    Rating,
    Unit,
    UnitOwner,
    Vote,
    VoteChoice,
    VoterNomination,
)
from propgraph.schema.relay import from_global_id, to_global_id
from propgraph.services import Services
from propgraph.settings import Settings
from propgraph.workflows import outbox
from propgraph.workflows.voters import voters_of_units

OPEN = """mutation($i: OpenMeetingInput!) { r: openMeeting(input: $i) {
  meeting { id votingStartsAt topics { id rule } } errors { message } } }"""
TOPICS = [
    {"title": "使用专项维修资金更换1号电梯", "rule": "DOUBLE_TWO_THIRDS"},
    {"title": "续聘现物业服务企业", "rule": "MAJOR"},
    {"title": "修订小区停车管理规约", "rule": "ORDINARY"},
]
# (opened at, publicity starts, voting from, voting to, title, share of units balloted)
MEETINGS = (
    ("2020-04-01T10:00", "2020-04-01", "2020-04-10T09:00", "2020-04-20T18:00", "年度业主大会", 1.0),
    ("2025-12-20T10:00", "2025-12-20", "2026-01-01T09:00", "2030-12-31T18:00", "业主大会", 0.4),
    ("2026-01-01T10:00", "2026-01-01", "2030-07-01T09:00", "2030-07-15T18:00", "临时大会", 0.0),
)
# Where owner 1's account votes: (opened at, publicity starts, voting from, voting to, title)
OWNERS_OWN_MEETING = (
    "2025-12-20T10:00",
    "2025-12-20",
    "2026-01-01T09:00",
    "2030-12-31T18:00",
    "业主大会（网上表决）",
)
RATING_YEAR = 2026  # Project.rating counts the current year's ratings


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CITY_TZ)


def _choice(rule: str, index: int) -> VoteChoice:
    """Deterministic ballots: most agree on the lift, fewer on the others."""
    cycle = {
        "DOUBLE_TWO_THIRDS": "AAAAAAAAAD",
        "MAJOR": "AAAAAAADDX",
        "ORDINARY": "AAAAADDDXX",
    }[rule]
    return {"A": VoteChoice.AGREE, "D": VoteChoice.DISAGREE, "X": VoteChoice.ABSTAIN}[
        cycle[index % len(cycle)]
    ]


async def seed_owner_history(engine: AsyncEngine) -> dict[str, int]:
    from propgraph.schema.build import build_role_schemas_cached

    moment = [datetime(2020, 4, 1, 2, tzinfo=UTC)]
    services = Services(
        settings=Settings(database_url=str(engine.url), jwt_secret="unused-by-the-seed"),
        engine=engine,
        clock=lambda: moment[0],
    )
    services.policies, services.schemas = build_role_schemas_cached(await load_enforcer(engine))
    act = _Actor(engine, services)

    async with engine.begin() as conn:
        project = await _project(conn)
        if project is None:
            return {}
        street = await _street_office(conn, project.street_id)
        own_project = await conn.scalar(
            select(UnitOwner.project_id)
            .where(UnitOwner.owner_id == MULTI_UNIT_OWNER)
            .order_by(UnitOwner.unit_id)
        )
        own_street = await _street_office(
            conn, await conn.scalar(select(Project.street_id).where(Project.id == own_project))
        )
        links = (
            await conn.execute(
                select(UnitOwner.unit_id, UnitOwner.owner_id)
                .where(UnitOwner.project_id == project.id)
                .order_by(UnitOwner.unit_id, UnitOwner.owner_id)
            )
        ).all()
        owners_of: dict[int, list[int]] = defaultdict(list)
        for unit_id, owner_id in links:
            owners_of[unit_id].append(owner_id)
        shared = [u for u, owners in owners_of.items() if len(owners) > 1]
        nominations = []
        for index, unit_id in enumerate(shared):
            owners = owners_of[unit_id]
            for owner_id in owners:
                # the second shared unit's owners disagree (each names itself)
                nominee = owner_id if index == 1 else owners[0]
                nominations.append(
                    {
                        "unit_id": unit_id,
                        "owner_id": owner_id,
                        "nominee_id": nominee,
                        "at": moment[0],
                        "project_id": project.id,
                        "community_id": project.community_id,
                        "street_id": project.street_id,
                        "district_id": project.district_id,
                    }
                )
        if nominations:
            await conn.execute(insert(VoterNomination), nominations)

    ballots = 0
    for opened, publicity, starts, ends, title, share in MEETINGS:
        moment[0] = _local(opened).astimezone(UTC)
        meeting = (
            await act(
                street,
                OPEN,
                {
                    "projectId": to_global_id("Project", project.id),
                    "title": title,
                    "publicityStartsOn": publicity,
                    "votingStartsAt": _local(starts).isoformat(),
                    "votingEndsAt": _local(ends).isoformat(),
                    "topics": TOPICS,
                },
            )
        )["meeting"]
        if share:
            ballots += await _paper_ballots(engine, project.id, meeting, _local(starts), share)
    if own_project is not None:
        opened, publicity, starts, ends, title = OWNERS_OWN_MEETING
        moment[0] = _local(opened).astimezone(UTC)
        await act(
            own_street,
            OPEN,
            {
                "projectId": to_global_id("Project", own_project),
                "title": title,
                "publicityStartsOn": publicity,
                "votingStartsAt": _local(starts).isoformat(),
                "votingEndsAt": _local(ends).isoformat(),
                "topics": TOPICS,
            },
        )
    moment[0] = _local("2026-01-01T10:00").astimezone(UTC)
    await outbox.deliver_pending(engine, _SilentSender(), moment[0], limit=100_000)
    ratings = await _ratings(engine)
    meetings = len(MEETINGS) + (own_project is not None)
    return {"meetings": meetings, "votes": ballots, "ratings": ratings}


async def _street_office(conn: Any, street_id: int | None) -> str:
    street: str | None = await conn.scalar(
        select(Account.username)
        .where(Account.role == "STREET", Account.street_id == street_id)
        .where(Account.disabled.is_(False))
        .order_by(Account.id)
    )
    assert street is not None, "seed the graph and accounts first"
    return street


async def _project(conn: Any) -> Any:
    """The project with the most shared units where no owner account owns a unit."""
    with_accounts = select(UnitOwner.project_id).where(
        UnitOwner.owner_id.in_(select(Account.owner_id).where(Account.owner_id.is_not(None)))
    )
    shared = (
        select(UnitOwner.unit_id, UnitOwner.project_id)
        .group_by(UnitOwner.unit_id, UnitOwner.project_id)
        .having(func.count() > 1)
        .subquery()
    )
    best = (
        await conn.execute(
            select(shared.c.project_id, func.count().label("n"))
            .where(shared.c.project_id.not_in(with_accounts))
            .group_by(shared.c.project_id)
            .order_by(func.count().desc(), shared.c.project_id)
            .limit(1)
        )
    ).first()
    if best is None:
        return None
    return (await conn.execute(select(Project).where(Project.id == best.project_id))).one()


async def _paper_ballots(
    engine: AsyncEngine, project_id: int, meeting: dict[str, Any], starts: datetime, share: float
) -> int:
    async with engine.begin() as conn:
        units = list(
            (
                await conn.execute(
                    select(Unit.id).where(Unit.project_id == project_id).order_by(Unit.id)
                )
            ).scalars()
        )
        voters = await voters_of_units(conn, units, before=starts.astimezone(UTC))
        verified = set(
            (
                await conn.execute(
                    select(Owner.id).where(
                        Owner.id.in_([v for v in voters.values() if v is not None]),
                        Owner.verification != OwnerVerification.UNVERIFIED,
                    )
                )
            ).scalars()
        )
        voting = [u for u in units if voters[u] in verified][: round(len(units) * share)]
        meeting_id = from_global_id(meeting["id"])[1]  # type: ignore[index]
        rows = []
        for topic in meeting["topics"]:
            topic_id = from_global_id(topic["id"])[1]  # type: ignore[index]
            for index, unit_id in enumerate(voting):
                rows.append(
                    {
                        "topic_id": topic_id,
                        "meeting_id": meeting_id,
                        "unit_id": unit_id,
                        "owner_id": voters[unit_id],
                        "account_id": None,
                        "by_delegate": False,
                        "choice": _choice(topic["rule"], index),
                        "cast_at": starts.astimezone(UTC),
                    }
                )
        if rows:
            await conn.execute(insert(Vote), rows)
        return len(rows)


async def _ratings(engine: AsyncEngine) -> int:
    """Every unit of the first projects rates its service, differently per project."""
    async with engine.begin() as conn:
        links = (
            await conn.execute(
                select(UnitOwner.unit_id, UnitOwner.owner_id, UnitOwner.project_id)
                .where(UnitOwner.project_id <= 8)
                .order_by(UnitOwner.unit_id, UnitOwner.owner_id)
            )
        ).all()
        first_owner: dict[int, tuple[int, int]] = {}
        for unit_id, owner_id, project_id in links:
            first_owner.setdefault(unit_id, (owner_id, project_id))
        rows = []
        for unit_id, (owner_id, project_id) in sorted(first_owner.items()):
            base = 2 + (project_id * 7 + unit_id) % 4  # 2..5
            stars = {
                item.lower(): max(1, min(5, base - (i % 2) * ((unit_id + i) % 2)))
                for i, item in enumerate(RATING_ITEMS)
            }
            rows.append(
                {
                    "project_id": project_id,
                    "unit_id": unit_id,
                    "year": RATING_YEAR,
                    "owner_id": owner_id,
                    "account_id": None,
                    "rated_at": datetime(RATING_YEAR, 1, 5, 2, tzinfo=UTC),
                    **stars,
                }
            )
        if rows:
            await conn.execute(insert(Rating), rows)
        return len(rows)
