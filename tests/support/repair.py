"""Driving the repair-project flow in tests (SPEC 3.4), on the tiny dataset's project 1.

Project 1 holds units 1 and 3 (owner_1) and unit 2 (owner_2 and owner_3);
the subsidy cast gives its enterprise, manager and offices.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from propgraph.clock import CITY_TZ
from propgraph.datasets.repairs import REPAIR_MUTATIONS, repair_mutation
from propgraph.models import (
    Account,
    FundAccount,
    RepairProject,
    RepairShare,
    Topic,
    Unit,
    UnitOwner,
    Vote,
)
from propgraph.schema.relay import from_global_id, to_global_id
from tests.support.app import RunningApp, running_app
from tests.support.subsidy import ERRORS, Cast, Clock, Flow, cast_for, in_window_clock

REPAIR_FIELDS = """id kind status budget paid version settledAmount acceptedAt
  meeting { id status topics { id rule } }
  stages { index amount paid }
  shares(first: 100) { edges { node { unit { id } amount paid balance } } }
  timeline { action fromStatus toStatus comment }"""


CREATE, START_VOTE, PUBLISH, SUBMIT, REVIEW, PAY, ACCEPT, REFUND, CANCEL = (
    repair_mutation(step, f"repairProject {{ {REPAIR_FIELDS} }} {ERRORS}", variable="input")
    for step in REPAIR_MUTATIONS
)
CAST_VOTE = f"""mutation($input: CastVoteInput!) {{ castVote(input: $input) {{
  vote {{ choice }} {ERRORS} }} }}"""
NOMINATE = f"""mutation($input: NominateVoterInput!) {{ nominateVoter(input: $input) {{
  unit {{ id }} {ERRORS} }} }}"""
REPAIR = f"""query($id: ID!) {{ node(id: $id) {{ ... on RepairProject {{ {REPAIR_FIELDS} }} }} }}"""

LEDGER_TABLES = (
    "repair_projects",
    "repair_shares",
    "repair_stages",
    "fund_accounts",
    "fund_entries",
    "meetings",
    "meeting_topics",
    "audit_entries",
    "notifications",
    "todos",
)


@dataclass
class Repairs:
    app: RunningApp
    clock: Clock
    cast: Cast
    flow: Flow

    async def call(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        return await self.flow.call(username, mutation, input)

    async def ok(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        return (await self.flow.ok(username, mutation, input))["repairProject"]

    async def units(self) -> list[int]:
        async with self.app.services.engine.connect() as conn:
            rows = await conn.execute(
                select(Unit.id).where(Unit.project_id == self.cast.project_pk).order_by(Unit.id)
            )
            return list(rows.scalars())

    async def create(
        self, kind: str = "NORMAL", budget: str = "1000.00", stages: list[str] | None = None
    ) -> dict[str, Any]:
        amounts = stages or (["300.00", "400.00", "300.00"] if kind != "SIMPLE" else [budget])
        return await self.ok(
            self.cast.manager,
            CREATE,
            {
                "projectId": self.cast.project_id,
                "kind": kind,
                "title": "3栋电梯更换",
                "facilities": ["电梯"],
                "budget": budget,
                "unitIds": [to_global_id("Unit", u) for u in await self.units()],
                "stages": [
                    {"name": f"第{i}期", "amount": a} for i, a in enumerate(amounts, start=1)
                ],
            },
        )

    async def step(self, mutation: str, repair: dict[str, Any], **extra: Any) -> dict[str, Any]:
        username = extra.pop("username", self.cast.manager)
        return await self.ok(
            username, mutation, {"id": repair["id"], "version": repair["version"], **extra}
        )

    async def voters(self) -> dict[int, str]:
        """Each unit of the project → the username that votes for it; co-owners nominate
        the first of them that has an account."""
        async with self.app.services.engine.connect() as conn:
            links = (
                await conn.execute(
                    select(UnitOwner.unit_id, UnitOwner.owner_id, Account.username)
                    .join(Unit, Unit.id == UnitOwner.unit_id)
                    .join(Account, Account.owner_id == UnitOwner.owner_id)
                    .where(
                        Unit.project_id == self.cast.project_pk,
                        Account.role == "OWNER",
                        Account.disabled.is_(False),
                    )
                    .order_by(UnitOwner.unit_id, UnitOwner.owner_id)
                )
            ).all()
            owners = (
                await conn.execute(
                    select(UnitOwner.unit_id, func.count())
                    .join(Unit, Unit.id == UnitOwner.unit_id)
                    .where(Unit.project_id == self.cast.project_pk)
                    .group_by(UnitOwner.unit_id)
                )
            ).all()
        counts = {unit: n for unit, n in owners}
        by_unit: dict[int, list[Any]] = {}
        for link in links:
            by_unit.setdefault(link.unit_id, []).append(link)
        voters = {}
        for unit, held in by_unit.items():
            if len(held) != counts[unit]:
                continue  # an owner without an account cannot nominate
            voters[unit] = held[0].username
            if len(held) > 1:
                for link in held:
                    await self.flow.ok(
                        link.username,
                        NOMINATE,
                        {
                            "unitId": to_global_id("Unit", unit),
                            "nomineeId": to_global_id("Owner", held[0].owner_id),
                        },
                    )
        return voters

    async def vote(self, repair: dict[str, Any], agree: bool = True) -> dict[str, Any]:
        """Start the vote; every unit's voter agrees (or disagrees); close it by the clock."""
        voters = await self.voters()
        now = self.clock().astimezone(CITY_TZ)
        starts, ends = now + timedelta(days=1), now + timedelta(days=8)
        repair = await self.step(
            START_VOTE,
            repair,
            votingStartsAt=starts.isoformat(),
            votingEndsAt=ends.isoformat(),
        )
        topic = repair["meeting"]["topics"][0]["id"]
        self.clock.now = starts.astimezone(self.clock.now.tzinfo) + timedelta(hours=1)
        choice = "AGREE" if agree else "DISAGREE"
        for unit, username in voters.items():
            answer = await self.call(
                username,
                CAST_VOTE,
                {"topicId": topic, "unitId": to_global_id("Unit", unit), "choice": choice},
            )
            assert answer["errors"] == [], answer
        await self.paper_ballots(topic, set(voters), choice)
        self.clock.now = ends.astimezone(self.clock.now.tzinfo) + timedelta(minutes=1)
        return repair

    async def paper_ballots(self, topic: str, cast: set[int], choice: str) -> None:
        """纸质表决票: the other units' votes, as the data import enters them."""
        topic_pk = from_global_id(topic)[1]
        async with self.app.services.engine.begin() as conn:
            meeting = await conn.scalar(select(Topic.meeting_id).where(Topic.id == topic_pk))
            rows = (
                await conn.execute(
                    select(UnitOwner.unit_id, func.min(UnitOwner.owner_id))
                    .join(Unit, Unit.id == UnitOwner.unit_id)
                    .where(Unit.project_id == self.cast.project_pk)
                    .group_by(UnitOwner.unit_id)
                )
            ).all()
            for unit, owner in rows:
                if unit not in cast:
                    await conn.execute(
                        insert(Vote).values(
                            topic_id=topic_pk,
                            meeting_id=meeting,
                            unit_id=unit,
                            owner_id=owner,
                            account_id=None,
                            by_delegate=False,
                            choice=choice,
                            cast_at=self.clock(),
                        )
                    )

    async def to_approved(self, kind: str = "NORMAL", **create: Any) -> dict[str, Any]:
        repair = await self.create(kind, **create)
        if kind != "EMERGENCY":
            repair = await self.vote(repair)
        repair = await self.step(PUBLISH, repair)
        if kind == "SIMPLE":
            repair = await self.step(ACCEPT, repair, settledAmount=repair["budget"])
        repair = await self.step(SUBMIT, repair)
        return await self.step(REVIEW, repair, username=self.cast.district[0], decision="APPROVE")

    async def state(self) -> dict[str, list]:
        found = {}
        async with self.app.services.engine.connect() as conn:
            for name in LEDGER_TABLES:
                rows = await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))
                found[name] = [tuple(r) for r in rows]
        return found

    async def balances(self) -> dict[int, Decimal]:
        async with self.app.services.engine.connect() as conn:
            rows = await conn.execute(select(FundAccount.unit_id, FundAccount.balance))
            return {r[0]: r[1] for r in rows}

    async def shares_paid(self, repair: dict[str, Any]) -> dict[int, Decimal]:
        pk = from_global_id(repair["id"])[1]
        async with self.app.services.engine.connect() as conn:
            rows = await conn.execute(
                select(RepairShare.unit_id, RepairShare.paid).where(
                    RepairShare.repair_project_id == pk
                )
            )
            return {r[0]: r[1] for r in rows}

    async def stored_paid(self, repair: dict[str, Any]) -> Decimal:
        pk = from_global_id(repair["id"])[1]
        async with self.app.services.engine.connect() as conn:
            paid = await conn.scalar(select(RepairProject.paid).where(RepairProject.id == pk))
            assert paid is not None
            return paid


@pytest.fixture
async def repairs(fresh_tiny_url: str) -> AsyncIterator[Repairs]:
    """Project 1 of a private tiny dataset, on a clock the test moves (tests/conftest.py
    makes it every test's fixture)."""
    clock = in_window_clock()
    async with running_app(fresh_tiny_url, clock=clock) as app:
        cast = await cast_for(app)
        yield Repairs(app, clock, cast, Flow(app, cast))
