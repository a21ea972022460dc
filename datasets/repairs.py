"""Repair projects' demo data (SPEC 3.4): each kind in several states, via the real mutations.

Three property projects with a manager account (one of them holding an owner
account's unit, the others the last ones) each get one kind: NORMAL, EMERGENCY,
SIMPLE. For each state in STOPS (together: every status), one repair project
is walked there by its manager and its district through the mutations (audit,
to-dos, notifications, ledger entries as in use). The owners' votes are entered as
paper ballots (纸质表决票), all agreeing except the failed vote's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.authz.policy import load_enforcer
from propgraph.datasets.workflow import _Actor, _at
from propgraph.models import (
    Account,
    Building,
    Notification,
    Topic,
    Unit,
    UnitOwner,
    Vote,
    VoteChoice,
)
from propgraph.schema.relay import from_global_id, to_global_id
from propgraph.services import Services
from propgraph.settings import Settings

FIELDS = "repairProject { id version budget meeting { topics { id } } } errors { message }"

# The repair workflow's mutations and their input types (the tests write them too).
REPAIR_MUTATIONS: dict[str, tuple[str, str]] = {
    "CREATE": ("createRepairProject", "CreateRepairProjectInput"),
    "START_VOTE": ("startRepairVote", "StartRepairVoteInput"),
    "PUBLISH": ("publishRepairProject", "RepairStepInput"),
    "SUBMIT": ("submitRepairProject", "RepairStepInput"),
    "REVIEW": ("reviewRepairProject", "ReviewRepairProjectInput"),
    "PAY": ("payRepairStage", "PayRepairStageInput"),
    "ACCEPT": ("acceptRepairProject", "AcceptRepairProjectInput"),
    "REFUND": ("refundRepairProject", "RepairStepInput"),
    "CANCEL": ("cancelRepairProject", "CancelRepairProjectInput"),
}


def repair_mutation(step: str, selection: str, variable: str = "i") -> str:
    """One repair mutation's text, its payload under ``r`` and its input in ``$variable``."""
    name, input_type = REPAIR_MUTATIONS[step]
    field = f"r: {name}(input: ${variable}) {{ {selection} }}"
    return f"mutation(${variable}: {input_type}!) {{ {field} }}"


CREATE, START_VOTE, PUBLISH, SUBMIT, REVIEW, PAY, ACCEPT, REFUND, CANCEL = (
    repair_mutation(step, FIELDS) for step in REPAIR_MUTATIONS
)

# Each kind's path, step by step; a demo project is left after each prefix in STOPS.
PATHS: dict[str, list[str]] = {
    "NORMAL": ["vote", "publish", "submit", "approve", "pay1", "pay2", "accept", "pay3"],
    "EMERGENCY": ["publish", "submit", "approve", "pay1", "accept", "pay2", "pay3"],
    "SIMPLE": ["vote", "publish", "accept", "submit", "approve", "pay1"],
}
# how many steps of its path each demo project takes: together every status, each
# kind in several (all of them would take the seed past its minute on a loaded machine)
STOPS: dict[str, list[int]] = {
    "NORMAL": [0, 1, 5, 8],  # DRAFT VOTING APPROVED (30% paid) CLOSED
    "EMERGENCY": [0, 2, 5],  # DRAFT SUBMITTED ACCEPTED
    "SIMPLE": [0, 2, 6],  # DRAFT PUBLICITY CLOSED
}
TITLES = {"NORMAL": "电梯更换", "EMERGENCY": "屋面渗漏抢修", "SIMPLE": "消防栓维修"}
FACILITIES = {"NORMAL": ["电梯"], "EMERGENCY": ["屋面防水"], "SIMPLE": ["消防设施"]}


async def seed_repair_history(engine: AsyncEngine) -> dict[str, int]:
    from propgraph.schema.build import build_role_schemas_cached

    moment = [_at(datetime(2025, 3, 3).date())]
    services = Services(
        settings=Settings(database_url=str(engine.url), jwt_secret="unused-by-the-seed"),
        engine=engine,
        clock=lambda: moment[0],
    )
    services.policies, services.schemas = build_role_schemas_cached(await load_enforcer(engine))
    act = _Actor(engine, services)
    places = await _places(engine)
    made = 0
    for (kind, path), place in zip(PATHS.items(), places, strict=False):
        for stop in STOPS[kind]:
            await _walk(act, engine, moment, kind, path[:stop], place, made)
            made += 1
        # one more that ends badly: a failed vote, or refunded and cancelled
        if kind == "EMERGENCY":
            await _walk(act, engine, moment, kind, [*path[:4], "refund", "cancel"], place, made)
        else:
            await _walk(act, engine, moment, kind, ["vote_fail", "publish"], place, made)
        made += 1
    # History is history: its messages count as delivered, in one statement (the
    # votes told every owner of three projects; one by one took most of the seed).
    async with engine.begin() as conn:
        await conn.execute(
            update(Notification)
            .where(Notification.sent_at.is_(None))
            .values(sent_at=moment[0], attempts=1)
        )
    return {"repair_projects": made}


async def _places(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Three projects with a manager account and a district account (one where an owner
    account holds a unit, so owners have some to see), with their first building's units."""
    async with engine.connect() as conn:
        managers = (
            await conn.execute(
                select(Account.username, Account.project_id)
                .where(Account.role == "MANAGER", Account.disabled.is_(False))
                .order_by(Account.project_id.desc(), Account.id)
            )
        ).all()
        owned = set(
            (
                await conn.execute(
                    select(UnitOwner.project_id).where(
                        UnitOwner.owner_id.in_(
                            select(Account.owner_id).where(Account.role == "OWNER")
                        )
                    )
                )
            ).scalars()
        )
        # an owner account's project first (owners see their repairs), then the last ones
        first = [m for m in managers if m.project_id in owned][-1:]
        places: list[dict[str, Any]] = []
        seen: set[int] = set()
        for manager in [*first, *managers]:
            if manager.project_id in seen or len(places) == 3:
                continue
            seen.add(manager.project_id)
            building = await conn.scalar(
                select(Building.id)
                .where(Building.project_id == manager.project_id)
                .order_by(Building.id)
                .limit(1)
            )
            units = (
                await conn.execute(
                    select(Unit.id, Unit.floor_area, Unit.district_id)
                    .where(Unit.building_id == building)
                    .order_by(Unit.id)
                    .limit(12)
                )
            ).all()
            if not units:
                continue
            district = await conn.scalar(
                select(Account.username)
                .where(
                    Account.role == "DISTRICT",
                    Account.district_id == units[0].district_id,
                    Account.disabled.is_(False),
                )
                .order_by(Account.id)
            )
            if district is None:
                continue
            # 10 yuan per m² of the sharing units: well within their funds (40-120 per m²)
            budget = (sum(u.floor_area for u in units) * 10).quantize(Decimal("0.01"))
            places.append(
                {
                    "project": to_global_id("Project", manager.project_id),
                    "project_pk": manager.project_id,
                    "manager": manager.username,
                    "district": district,
                    "units": [u.id for u in units],
                    "budget": budget,
                }
            )
    return places


def _plan(kind: str, budget: Decimal) -> list[Decimal]:
    if kind == "SIMPLE":
        return [budget]
    first = (budget * Decimal("0.3")).quantize(Decimal("0.01"))
    second = (budget * Decimal("0.4")).quantize(Decimal("0.01"))
    return [first, second, budget - first - second]


async def _walk(
    act: _Actor,
    engine: AsyncEngine,
    moment: list[datetime],
    kind: str,
    steps: list[str],
    place: dict[str, Any],
    number: int,
) -> None:
    moment[0] += timedelta(days=3)
    budget: Decimal = place["budget"]
    plan = _plan(kind, budget)
    repair = (
        await act(
            place["manager"],
            CREATE,
            {
                "projectId": place["project"],
                "kind": kind,
                "title": f"{TITLES[kind]}（{number + 1}）",
                "facilities": FACILITIES[kind],
                "budget": str(budget),
                "unitIds": [to_global_id("Unit", u) for u in place["units"]],
                "stages": [
                    {"name": f"第{i}期", "amount": str(a)} for i, a in enumerate(plan, start=1)
                ],
            },
        )
    )["repairProject"]

    async def step(username: str, mutation: str, **extra: Any) -> None:
        nonlocal repair
        moment[0] += timedelta(days=1)
        repair = (
            await act(
                username, mutation, {"id": repair["id"], "version": repair["version"], **extra}
            )
        )["repairProject"]

    manager, district = place["manager"], place["district"]
    for index, name in enumerate(steps):
        last = index == len(steps) - 1
        if name in ("vote", "vote_fail"):
            starts = moment[0] + timedelta(days=3)  # step() moves the clock a day first
            # the demo's running vote ends far ahead; the others close before the next step
            ends = starts + timedelta(days=2000 if last else 7)
            await step(
                manager,
                START_VOTE,
                votingStartsAt=starts.isoformat(),
                votingEndsAt=ends.isoformat(),
            )
            if not last:
                await _ballots(engine, repair, place, starts, agree=name == "vote")
                moment[0] = ends + timedelta(hours=1)
        elif name == "publish":
            await step(manager, PUBLISH)
        elif name == "submit":
            await step(manager, SUBMIT)
        elif name == "approve":
            await step(district, REVIEW, decision="APPROVE")
        elif name == "accept":
            await step(manager, ACCEPT, settledAmount=str(budget))
        elif name.startswith("pay"):
            stage = int(name[3:])
            await step(manager, PAY, stage=stage, amount=str(plan[stage - 1]))
        elif name == "refund":
            await step(manager, REFUND)
        elif name == "cancel":
            await step(manager, CANCEL, reason="施工单位无法进场，已清退资金")


async def _ballots(
    engine: AsyncEngine, repair: dict[str, Any], place: dict[str, Any], at: datetime, agree: bool
) -> None:
    """Paper ballots for every unit of the project with an owner."""
    decoded = from_global_id(repair["meeting"]["topics"][0]["id"])
    assert decoded is not None, "the mutation answered with a topic id"
    topic = decoded[1]
    choice = VoteChoice.AGREE if agree else VoteChoice.DISAGREE
    async with engine.begin() as conn:
        meeting = await conn.scalar(select(Topic.meeting_id).where(Topic.id == topic))
        owners = (
            await conn.execute(
                select(UnitOwner.unit_id, UnitOwner.owner_id)
                .where(UnitOwner.project_id == place["project_pk"])
                .order_by(UnitOwner.unit_id, UnitOwner.owner_id)
            )
        ).all()
        first: dict[int, int] = {}
        for unit, owner in owners:
            first.setdefault(unit, owner)
        if first:
            await conn.execute(
                insert(Vote),
                [
                    {
                        "topic_id": topic,
                        "meeting_id": meeting,
                        "unit_id": unit,
                        "owner_id": owner,
                        "account_id": None,
                        "by_delegate": False,
                        "choice": choice,
                        "cast_at": (at + timedelta(hours=2)).astimezone(UTC),
                    }
                    for unit, owner in first.items()
                ],
            )
