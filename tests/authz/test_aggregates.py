"""Aggregates count only the rows the viewer may see."""

from __future__ import annotations

from decimal import Decimal

import pytest

from propgraph.clock import local_date, system_clock
from propgraph.schema.relay import from_global_id
from tests.support.app import RunningApp
from tests.support.world import World, load_world

STATS = "stats { projects buildings units floorArea owners }"


@pytest.fixture(scope="module")
async def world(tiny_db_url: str) -> World:
    return await load_world(tiny_db_url)


def expected_stats(world: World, visible: set[str], type_name: str, node_id: int) -> dict:
    """Counts of the visible rows under one node, straight from the tables."""
    column = f"{type_name.lower()}_id"

    def under(kind: str) -> set[int]:
        pks = {from_global_id(g)[1] for g in visible if from_global_id(g)[0] == kind}
        if kind == type_name:
            return pks & {node_id}
        return {pk for pk in pks if getattr(world.rows[kind][pk], column) == node_id}

    units = under("Unit")
    visible_owners = {from_global_id(g)[1] for g in visible if from_global_id(g)[0] == "Owner"}
    owners = {link.owner_id for link in world.links if link.unit_id in units} & visible_owners
    area = sum((world.rows["Unit"][u].floor_area for u in units), Decimal(0))
    return {
        "projects": len(under("Project")),
        "buildings": len(under("Building")),
        "units": len(units),
        "floorArea": round(float(area), 2),
        "owners": len(owners),
    }


LEVELS = [
    ("CITY", "districts", "District"),
    ("CITY", "streets", "Street"),
    ("DISTRICT", "streets", "Street"),
    ("DISTRICT", "communities", "Community"),
    ("STREET", "communities", "Community"),
    ("COMMUNITY", "communities", "Community"),
    ("COMMUNITY", "projects", "Project"),
    ("ENTERPRISE", "projects", "Project"),
    ("MANAGER", "projects", "Project"),
]


@pytest.mark.parametrize(("role", "root", "type_name"), LEVELS)
async def test_stats_equal_the_count_of_visible_rows(
    tiny: RunningApp, world: World, role: str, root: str, type_name: str
) -> None:
    today = local_date(system_clock())
    for account in [a for a in world.accounts if a.role == role and not a.disabled]:
        visible = world.visible(account, today)
        data = await tiny.client(account.username).data(
            f"{{ {root}(first: 500) {{ edges {{ node {{ id {STATS} }} }} }} }}"
        )
        assert data[root]["edges"], f"{account.username} sees no {root}"
        for edge in data[root]["edges"]:
            node = edge["node"]
            want = expected_stats(world, visible, type_name, from_global_id(node["id"])[1])
            got = {**node["stats"], "floorArea": round(node["stats"]["floorArea"], 2)}
            assert got == want, (account.username, node["id"])


async def test_a_manager_counts_every_unit_of_its_project(tiny: RunningApp, world: World) -> None:
    manager = next(a for a in world.accounts if a.role == "MANAGER")
    data = await tiny.client(manager.username).data(
        f"{{ projects {{ edges {{ node {{ {STATS} }} }} }} }}"
    )
    assert data["projects"]["edges"][0]["node"]["stats"]["units"] == len(
        world.where("Unit", project_id=manager.project_id)
    )


def test_only_viewers_of_a_whole_subtree_read_rollups() -> None:
    from propgraph.authz.scope import (
        NOTHING,
        CityScope,
        DelegateScope,
        DirectoryScope,
        EnterpriseScope,
        OwnerScope,
        ProjectScope,
        SubtreeScope,
    )

    levels = ("district", "street", "community", "project")
    street = SubtreeScope(level="street", node_id=1)
    assert [street.sees_whole_subtree(level) for level in levels] == [False, True, True, True]
    assert all(CityScope().sees_whole_subtree(level) for level in levels)
    for scope in (EnterpriseScope(enterprise_id=1), ProjectScope(project_id=1)):
        assert [scope.sees_whole_subtree(level) for level in levels] == [False, False, False, True]
    for scope in (
        OwnerScope(owner_id=1),
        DelegateScope(owner_id=1, project_id=1),
        DirectoryScope(),
        NOTHING,
    ):
        assert not any(scope.sees_whole_subtree(level) for level in levels)


async def test_live_counts_stand_in_for_missing_rollups(fresh_tiny_url: str) -> None:
    from sqlalchemy import delete

    from propgraph.models import NodeStats
    from tests.support.app import running_app

    query = f"{{ districts {{ edges {{ node {{ {STATS} streets {{ edges {{ node {{ {STATS} }} }} }} }} }} }} }}"
    async with running_app(fresh_tiny_url) as app:
        rolled_up = await app.client("city_head").data(query)
        async with app.services.engine.begin() as conn:
            await conn.execute(delete(NodeStats))
        assert await app.client("city_head").data(query) == rolled_up
