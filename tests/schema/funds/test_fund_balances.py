"""Unit fund balances and their rollups, within each viewer's scope (SPEC 3.4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from propgraph.clock import local_date, system_clock
from propgraph.datasets.funds import HIGH_RATE, LOW_RATE
from propgraph.db import create_engine
from propgraph.models import FundAccount
from propgraph.schema.relay import from_global_id
from tests.support.app import RunningApp
from tests.support.world import World, load_world

DRILL_DOWN = """{
  fundBalance
  projects(first: 30) { edges { node { id fundBalance
    buildings(first: 5) { edges { node { id fundBalance
      units(first: 10) { edges { node { id fundBalance } } } } } } } } }
}"""
LEVEL = "{ %s(first: 100) { edges { node { id fundBalance } } } }"
OFFICE_LEVELS = {
    "CITY": ("districts", "streets", "communities"),
    "DISTRICT": ("districts", "streets", "communities"),
    "STREET": ("streets", "communities"),
    "COMMUNITY": ("communities",),
}
COLUMN = {
    "District": "district_id",
    "Street": "street_id",
    "Community": "community_id",
    "Project": "project_id",
    "Building": "building_id",
    "Unit": "unit_id",
}


@pytest.fixture(scope="module")
async def world(tiny_db_url: str) -> World:
    return await load_world(tiny_db_url)


def visible_units(world: World, account: object) -> set[int]:
    visible = world.visible(account, local_date(system_clock()))
    return {pk for kind, pk in map(from_global_id, visible) if kind == "Unit"}


def expected(world: World, units: set[int], global_id: str) -> str:
    """The sum of the visible units' balances under one node, from the table."""
    kind, pk = from_global_id(global_id)
    column = COLUMN[kind]
    total = sum(
        (world.funds[u].balance for u in units if getattr(world.funds[u], column) == pk),
        Decimal("0.00"),
    )
    return str(total)


def nodes_of(answer: dict) -> list[dict]:
    """Every node with a fundBalance anywhere in an answer."""
    found = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "id" in value and "fundBalance" in value:
                found.append(value)
            for sub in value.values():
                walk(sub)
        elif isinstance(value, list):
            for sub in value:
                walk(sub)

    walk(answer)
    return found


def test_the_seed_deposits_by_floor_area_and_keeps_the_ledger(world: World) -> None:
    # given the tiny dataset
    # then every unit has an account whose balance is its floor area times a plausible rate
    assert set(world.funds) == set(world.rows["Unit"])
    for unit_id, account in world.funds.items():
        unit = world.rows["Unit"][unit_id]
        assert account.balance == account.deposits - account.debits + account.refunds
        rate = account.deposits / unit.floor_area
        assert LOW_RATE <= rate <= HIGH_RATE and rate == rate.to_integral_value()
        assert (account.building_id, account.project_id, account.district_id) == (
            unit.building_id,
            unit.project_id,
            unit.district_id,
        )


@pytest.mark.parametrize(
    "role", ["CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER"]
)
async def test_balances_roll_up_within_the_viewers_scope(
    tiny: RunningApp, world: World, role: str
) -> None:
    for account in [a for a in world.accounts if a.role == role and not a.disabled]:
        # given what the account may see
        units = visible_units(world, account)
        client = tiny.client(account.username)
        # when it drills down project → building → unit
        data = await client.data(DRILL_DOWN)
        # then the root total is the sum of its visible units' balances
        total = sum((world.funds[u].balance for u in units), Decimal("0.00"))
        assert data["fundBalance"] == str(total), account.username
        # and every node's balance is the sum of the visible units under it
        found = nodes_of(data["projects"])
        assert found, account.username
        for node in found:
            assert node["fundBalance"] == expected(world, units, node["id"]), (
                account.username,
                node["id"],
            )
        # and so is every hierarchy level the office sees
        for root in OFFICE_LEVELS.get(role, ()):
            level = await client.data(LEVEL % root)
            assert level[root]["edges"], (account.username, root)
            for node in nodes_of(level):
                assert node["fundBalance"] == expected(world, units, node["id"])


async def test_an_owner_sees_its_own_units_only(tiny: RunningApp, world: World) -> None:
    # given owner 1, who owns units in two projects
    owner = next(a for a in world.accounts if a.role == "OWNER" and a.owner_id == 1)
    own = world.units_of_owner(1)
    # when it drills down
    data = await tiny.client(owner.username).data(DRILL_DOWN)
    # then units it does not own show no balance at all, and its projects only its own
    units = [n for n in nodes_of(data) if from_global_id(n["id"])[0] == "Unit"]
    assert {from_global_id(n["id"])[1] for n in units} == own
    projects = [e["node"] for e in data["projects"]["edges"]]
    assert sum(Decimal(p["fundBalance"]) for p in projects) == Decimal(data["fundBalance"])
    assert Decimal(data["fundBalance"]) == sum(world.funds[u].balance for u in own)


@pytest.mark.parametrize(
    ("username_role", "field"),
    [
        ("DELEGATE", "{ projects { edges { node { id fundBalance } } } }"),
        ("DELEGATE", "{ fundBalance }"),
        (None, "{ fundBalance }"),
    ],
)
async def test_refused_roles_have_no_balances_in_their_schema(
    tiny: RunningApp, world: World, username_role: str | None, field: str
) -> None:
    username = None
    if username_role:
        username = next(a.username for a in world.accounts if a.role == username_role)
    answer = await tiny.client(username).execute(field)
    assert answer.get("data") is None
    assert "Cannot query field" in answer["errors"][0]["message"]


async def test_the_database_refuses_an_overdraft_or_a_drifting_balance(
    fresh_tiny_url: str,
) -> None:
    engine = create_engine(fresh_tiny_url)
    try:
        async with engine.connect() as conn:
            account = (await conn.execute(select(FundAccount).limit(1))).one()
        bad = [
            {"debits": account.deposits + 1, "balance": Decimal("-0.01")},
            {"balance": account.balance + 1},
            {"debits": Decimal("-1.00"), "balance": account.balance + 1},
        ]
        for values in bad:
            with pytest.raises(IntegrityError):
                async with engine.begin() as conn:
                    await conn.execute(
                        update(FundAccount)
                        .where(FundAccount.unit_id == account.unit_id)
                        .values(**values)
                    )
        async with engine.connect() as conn:
            again = (
                await conn.execute(
                    select(FundAccount).where(FundAccount.unit_id == account.unit_id)
                )
            ).one()
        assert again == account
    finally:
        await engine.dispose()
