"""createRepairProject: a draft, its shares to the fen, its plan; refusals write nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import text, update

from propgraph.clock import local_date, system_clock
from propgraph.models import RepairProject, RepairStatus
from propgraph.schema.relay import from_global_id, to_global_id
from tests.support.app import RunningApp, running_app
from tests.support.world import World, load_world

CREATE = """
mutation($input: CreateRepairProjectInput!) {
  createRepairProject(input: $input) {
    repairProject { id kind title status facilities budget paid version
      project { id }
      shares(first: 500) { totalCount edges { node { unit { id } area amount paid balance } } }
      stages { index name amount paid }
      timeline { action actor } }
    shortfalls { unit { id } amount balance shortfall }
    errors { code field message }
  }
}"""
LIST = "{ repairProjects(first: 100) { edges { node { id } } } }"
TABLES = ("repair_projects", "repair_shares", "repair_stages", "audit_entries", "fund_accounts")


@pytest.fixture(scope="module")
async def world(tiny_db_url: str) -> World:
    return await load_world(tiny_db_url)


@pytest.fixture
async def app(fresh_tiny_url: str) -> AsyncIterator[RunningApp]:
    async with running_app(fresh_tiny_url) as running:
        yield running


def manager_of(world: World, project_id: int | None = None) -> Any:
    return next(
        a
        for a in world.accounts
        if a.role == "MANAGER" and (project_id is None or a.project_id == project_id)
    )


def valid_input(world: World, project_id: int, **changes: Any) -> dict[str, Any]:
    units = sorted(world.where("Unit", project_id=project_id))
    return {
        "projectId": to_global_id("Project", project_id),
        "kind": "NORMAL",
        "title": "3栋电梯更换",
        "facilities": ["电梯", "电梯机房"],
        "budget": "1000.01",
        "unitIds": [to_global_id("Unit", u) for u in units],
        "stages": [{"name": "预付款", "amount": "300.00"}, {"name": "结算款", "amount": "700.01"}],
        **changes,
    }


async def state(app: RunningApp) -> dict[str, list]:
    found = {}
    async with app.services.engine.connect() as conn:
        for name in TABLES:
            found[name] = [tuple(r) for r in await conn.execute(text(f"SELECT * FROM {name}"))]
    return found


async def test_a_manager_drafts_a_repair_shared_by_floor_area_to_the_fen(
    app: RunningApp, world: World
) -> None:
    # given the manager of a project and all its units
    manager = manager_of(world)
    pid = manager.project_id
    # when it drafts a repair of 1000.01 yuan in two stages
    answer = await app.client(manager.username).data(CREATE, {"input": valid_input(world, pid)})
    payload = answer["createRepairProject"]
    # then it is a draft with the budget, the facilities, the plan and one audit entry
    assert payload["errors"] == []
    repair = payload["repairProject"]
    assert (repair["status"], repair["kind"], repair["version"]) == ("DRAFT", "NORMAL", 1)
    assert (repair["budget"], repair["paid"]) == ("1000.01", "0.00")
    assert repair["facilities"] == ["电梯", "电梯机房"]
    assert repair["project"]["id"] == to_global_id("Project", pid)
    assert [(s["index"], s["amount"]) for s in repair["stages"]] == [(1, "300.00"), (2, "700.01")]
    assert [(t["action"], t["actor"]) for t in repair["timeline"]] == [
        ("repair.create", manager.username)
    ]
    # and the shares follow floor area, add up to the budget and are each within a fen
    shares = [e["node"] for e in repair["shares"]["edges"]]
    units = world.where("Unit", project_id=pid)
    assert repair["shares"]["totalCount"] == len(units) == len(shares)
    assert sum(Decimal(s["amount"]) for s in shares) == Decimal("1000.01")
    area = sum(world.rows["Unit"][u].floor_area for u in units)
    for share in shares:
        unit = world.rows["Unit"][from_global_id(share["unit"]["id"])[1]]
        exact = Fraction("1000.01") * Fraction(unit.floor_area) / Fraction(area)
        assert abs(Fraction(share["amount"]) - exact) < Fraction(1, 100)
        assert Decimal(share["balance"]) == world.funds[unit.id].balance
    # and nobody is short of a modest share
    assert payload["shortfalls"] == []


async def test_units_short_of_their_share_are_reported_and_nothing_is_debited(
    app: RunningApp, world: World
) -> None:
    manager = manager_of(world)
    pid = manager.project_id
    before = (await state(app))["fund_accounts"]
    big = {"budget": "9999999.99", "stages": [{"name": "全额", "amount": "9999999.99"}]}
    # when the budget is far beyond the units' funds
    answer = await app.client(manager.username).data(
        CREATE, {"input": valid_input(world, pid, **big)}
    )
    payload = answer["createRepairProject"]
    # then the draft exists, every unit is reported short, and no balance moved
    assert payload["errors"] == [] and payload["repairProject"]["status"] == "DRAFT"
    short = payload["shortfalls"]
    assert {from_global_id(s["unit"]["id"])[1] for s in short} == world.where(
        "Unit", project_id=pid
    )
    for s in short:
        assert Decimal(s["shortfall"]) == Decimal(s["amount"]) - Decimal(s["balance"]) > 0
    assert (await state(app))["fund_accounts"] == before


async def test_the_enterprise_of_the_project_may_draft_too(app: RunningApp, world: World) -> None:
    project = world.rows["Project"][manager_of(world).project_id]
    enterprise = next(
        a
        for a in world.accounts
        if a.role == "ENTERPRISE" and a.enterprise_id == project.enterprise_id
    )
    answer = await app.client(enterprise.username).data(
        CREATE, {"input": valid_input(world, project.id, kind="EMERGENCY")}
    )
    assert answer["createRepairProject"]["errors"] == []
    assert answer["createRepairProject"]["repairProject"]["kind"] == "EMERGENCY"


def _other_project_unit(world: World, pid: int) -> str:
    other = min(u for u, row in world.rows["Unit"].items() if row.project_id != pid)
    return to_global_id("Unit", other)


REFUSALS = [
    ("more than two decimals", {"budget": "1000.011"}, "VALIDATION", "budget"),
    ("zero budget", {"budget": "0"}, "VALIDATION", "budget"),
    ("negative budget", {"budget": "-1000.01"}, "VALIDATION", "budget"),
    (
        "stages not adding up",
        {
            "stages": [
                {"name": "预付款", "amount": "300.00"},
                {"name": "结算款", "amount": "700.00"},
            ]
        },
        "VALIDATION",
        "stages",
    ),
    (
        "a stage with three decimals",
        {
            "stages": [
                {"name": "预付款", "amount": "300.001"},
                {"name": "结算款", "amount": "700.009"},
            ]
        },
        "VALIDATION",
        "stages.0.amount",
    ),
    (
        "a negative stage",
        {
            "stages": [
                {"name": "预付款", "amount": "-1.00"},
                {"name": "结算款", "amount": "1001.01"},
            ]
        },
        "VALIDATION",
        "stages.0.amount",
    ),
    ("no stages", {"stages": []}, "VALIDATION", "stages"),
    ("no facilities", {"facilities": []}, "VALIDATION", "facilities"),
    ("an empty title", {"title": "  "}, "VALIDATION", "title"),
    ("no units", {"unitIds": []}, "VALIDATION", "unitIds"),
    ("an unknown unit", {"unitIds": [to_global_id("Unit", 999_999)]}, "NOT_FOUND", "unitIds"),
    ("not a unit id", {"unitIds": [to_global_id("Project", 1)]}, "NOT_FOUND", "unitIds"),
    (
        "an unknown project",
        {"projectId": to_global_id("Project", 999_999)},
        "NOT_FOUND",
        "projectId",
    ),
]


@pytest.mark.parametrize(("case", "changes", "code", "field"), REFUSALS)
async def test_bad_input_is_a_typed_error_and_writes_nothing(
    app: RunningApp, world: World, case: str, changes: dict, code: str, field: str
) -> None:
    manager = manager_of(world)
    before = await state(app)
    answer = await app.client(manager.username).data(
        CREATE, {"input": valid_input(world, manager.project_id, **changes)}
    )
    payload = answer["createRepairProject"]
    assert payload["repairProject"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], case
    assert await state(app) == before


async def test_a_unit_of_another_project_or_twice_is_refused(app: RunningApp, world: World) -> None:
    manager = manager_of(world)
    pid = manager.project_id
    base = valid_input(world, pid)
    before = await state(app)
    for unit_ids, code in (
        ([*base["unitIds"], _other_project_unit(world, pid)], "NOT_FOUND"),
        ([*base["unitIds"], base["unitIds"][0]], "VALIDATION"),
    ):
        answer = await app.client(manager.username).data(
            CREATE, {"input": {**base, "unitIds": unit_ids}}
        )
        errors = answer["createRepairProject"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [(code, "unitIds")]
    assert await state(app) == before


async def test_another_projects_manager_or_enterprise_gets_not_found(
    app: RunningApp, world: World
) -> None:
    pid = manager_of(world).project_id
    enterprise_id = world.rows["Project"][pid].enterprise_id
    strangers = [a for a in world.accounts if a.role == "MANAGER" and a.project_id != pid][:1] + [
        a for a in world.accounts if a.role == "ENTERPRISE" and a.enterprise_id != enterprise_id
    ][:1]
    assert len(strangers) == 2
    before = await state(app)
    for account in strangers:
        answer = await app.client(account.username).data(CREATE, {"input": valid_input(world, pid)})
        errors = answer["createRepairProject"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("NOT_FOUND", "projectId")]
    assert await state(app) == before


@pytest.mark.parametrize(
    "role", ["CITY", "DISTRICT", "STREET", "COMMUNITY", "OWNER", "DELEGATE", None]
)
async def test_other_roles_have_no_such_mutation(
    app: RunningApp, world: World, role: str | None
) -> None:
    username = next((a.username for a in world.accounts if a.role == role), None)
    pid = manager_of(world).project_id
    before = await state(app)
    answer = await app.client(username).execute(CREATE, {"input": valid_input(world, pid)})
    assert answer.get("data") is None
    assert await state(app) == before


def expected_repairs(world: World, account: Any, repairs: list[Any], today: Any) -> set[str]:
    """The oracle for RepairProject (CONTRACT: the roles taking part, in their scope)."""
    role = account.role
    found = set()
    for repair in repairs:
        drafted = repair.status == RepairStatus.DRAFT
        project = world.rows["Project"][repair.project_id]
        if role == "CITY":
            ok = not drafted
        elif role in ("DISTRICT", "STREET", "COMMUNITY"):
            level = role.lower()
            ok = not drafted and getattr(project, f"{level}_id") == getattr(account, f"{level}_id")
        elif role == "ENTERPRISE":
            ok = project.enterprise_id == account.enterprise_id
        elif role == "MANAGER":
            ok = project.id == account.project_id
        elif role == "OWNER":
            owned = {
                world.rows["Unit"][u].project_id for u in world.units_of_owner(account.owner_id)
            }
            ok = not drafted and project.id in owned
        else:
            ok = False
        if ok:
            found.add(to_global_id("RepairProject", repair.id))
    return found


async def test_every_account_reaches_exactly_the_repair_projects_it_takes_part_in(
    app: RunningApp, world: World
) -> None:
    # given a repair project drafted by every manager, half of them out of draft
    for manager in [a for a in world.accounts if a.role == "MANAGER"]:
        answer = await app.client(manager.username).data(
            CREATE, {"input": valid_input(world, manager.project_id)}
        )
        assert answer["createRepairProject"]["errors"] == []
    async with app.services.engine.begin() as conn:
        await conn.execute(
            update(RepairProject)
            .where(RepairProject.id % 2 == 0)
            .values(status=RepairStatus.SUBMITTED)
        )
        repairs = list((await conn.execute(RepairProject.__table__.select())).all())
    assert {r.status for r in repairs} == {RepairStatus.DRAFT, RepairStatus.SUBMITTED}
    every_id = [to_global_id("RepairProject", r.id) for r in repairs]
    today = local_date(system_clock())
    for account in [a for a in world.accounts if not a.disabled]:
        client = app.client(account.username)
        expected = expected_repairs(world, account, repairs, today)
        if account.role == "DELEGATE":
            # a delegate's schema has no repair projects at all
            assert (await client.execute(LIST)).get("data") is None
            continue
        # when it lists them (an owner reaches its own by id: a root connection would
        # take its crawl past the owner's cost budget), and asks for every id
        if account.role != "OWNER":
            listed = (await client.data(LIST))["repairProjects"]["edges"]
            # then it reaches exactly those it takes part in, both ways
            assert {e["node"]["id"] for e in listed} == expected, account.username
        data = await client.data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": every_id}
        )
        assert {n["id"] for n in data["nodes"] if n} == expected, account.username


async def test_an_owner_sees_only_its_own_units_shares(app: RunningApp, world: World) -> None:
    owner = next(a for a in world.accounts if a.role == "OWNER" and a.owner_id == 1)
    pid = world.rows["Unit"][min(world.units_of_owner(1))].project_id
    manager = manager_of(world, pid)
    created = await app.client(manager.username).data(CREATE, {"input": valid_input(world, pid)})
    gid = created["createRepairProject"]["repairProject"]["id"]
    async with app.services.engine.begin() as conn:
        await conn.execute(
            update(RepairProject)
            .where(RepairProject.id == from_global_id(gid)[1])
            .values(status=RepairStatus.PUBLICITY)
        )
    data = await app.client(owner.username).data(
        "query($id: ID!) { node(id: $id) { ... on RepairProject { budget "
        "shares { totalCount edges { node { unit { id } amount } } } } } }",
        {"id": gid},
    )
    units = {from_global_id(e["node"]["unit"]["id"])[1] for e in data["node"]["shares"]["edges"]}
    assert units == {u for u in world.units_of_owner(1) if world.rows["Unit"][u].project_id == pid}
