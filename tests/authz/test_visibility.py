"""Every account of every role reaches exactly the nodes the visibility table prescribes.

Two ways in, both compared with the oracle in tests/support/world.py:
crawling the role's own schema from its root fields and ``me``, and asking
``nodes(ids:)`` for every id in the database. On PostgreSQL both run twice:
through compiled reads (one statement per operation, resolvers/compiled) and
field by field through the resolvers; SQLite has the resolvers only. The
tiny dataset gets the owners' demo data first (datasets/owners.py: meetings,
topics, ballots) and the repair projects' (datasets/repairs.py: each kind
in each state), so those node types are crawled too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from propgraph.clock import local_date, system_clock
from propgraph.datasets.owners import seed_owner_history
from propgraph.datasets.repairs import seed_repair_history
from propgraph.db import create_engine
from propgraph.metrics import COMPILED_READS
from tests.support.app import RunningApp, running_app
from tests.support.crawler import crawl
from tests.support.databases import SERVER_URL, TestDatabases
from tests.support.world import (
    ACCOUNT_TYPES,
    GRAPH_TYPES,
    OWNER_TYPES,
    REPAIR_TYPES,
    World,
    load_world,
)

CRAWLED = (*GRAPH_TYPES, *OWNER_TYPES, *REPAIR_TYPES, *ACCOUNT_TYPES)

ROLES = ["CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE"]


@pytest.fixture(scope="module")
async def owners_tiny_url(databases: TestDatabases, tiny_template_url: str) -> str:
    url = await databases.copy(tiny_template_url)
    engine = create_engine(url)
    try:
        await seed_owner_history(engine)
        await seed_repair_history(engine)
    finally:
        await engine.dispose()
    return url


@pytest.fixture(scope="module")
async def world(owners_tiny_url: str) -> World:
    world = await load_world(owners_tiny_url)
    assert world.rows["Meeting"] and world.rows["Topic"] and world.delegations
    assert {r.status for r in world.rows["RepairProject"].values()} >= {"DRAFT", "CLOSED"}
    return world


@pytest.fixture(scope="module", params=["compiled", "resolvers"] if SERVER_URL else ["resolvers"])
async def tiny(request: pytest.FixtureRequest, owners_tiny_url: str) -> AsyncIterator[RunningApp]:
    """Tiny with the owners' demo data, read one way or the other."""
    async with running_app(owners_tiny_url, compiled_reads=request.param == "compiled") as app:
        yield app


def accounts_of(world: World, role: str) -> list:
    accounts = [a for a in world.accounts if a.role == role and not a.disabled]
    assert accounts, f"the tiny dataset has no {role} account"
    return accounts


@pytest.mark.parametrize("role", ROLES)
async def test_crawling_the_schema_reaches_exactly_the_visible_nodes(
    tiny: RunningApp, world: World, role: str
) -> None:
    today = local_date(system_clock())
    planned, direct = COMPILED_READS.labels("planned"), COMPILED_READS.labels("direct")
    before, direct_before = planned._value.get(), direct._value.get()
    for account in accounts_of(world, role):
        # given the account's expected nodes
        expected = world.visible(account, today, CRAWLED)
        if role == "OWNER":  # an owner reaches repair projects by id (below), not by a list
            expected = world.visible(account, today, (*GRAPH_TYPES, *OWNER_TYPES))
        # when it walks everything its schema lets it walk
        reached = await crawl(tiny.client(account.username), only=set(CRAWLED))
        # then it reaches those, and nothing else
        assert reached == expected, (
            f"{account.username}: unexpected {sorted(reached - expected)[:5]}, "
            f"missing {sorted(expected - reached)[:5]}"
        )
    if tiny.services.settings.compiled_reads:  # the waves of nodes(ids:) were planned,
        assert planned._value.get() > before
        assert direct._value.get() > direct_before  # and later waves answered directly


@pytest.mark.parametrize("role", ROLES)
async def test_nodes_given_every_id_returns_exactly_the_visible_nodes(
    tiny: RunningApp, world: World, role: str
) -> None:
    today = local_date(system_clock())
    every_id = sorted(
        world.all_ids() | world.owner_ids() | world.repair_ids() | world.account_ids()
    )
    assert len(every_id) <= 1000
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    for account in accounts_of(world, role):
        data = await tiny.client(account.username).data(query, {"ids": every_id})
        returned = [n for n in data["nodes"]]
        assert len(returned) == len(every_id)
        visible = {n["id"] for n in returned if n is not None}
        assert visible == world.visible(account, today, CRAWLED), account.username
        # and node(id) agrees on a sample of the invisible ones
        hidden = sorted(set(every_id) - visible)[:3]
        for gid in hidden:
            one = await tiny.client(account.username).data(
                "query($id: ID!) { node(id: $id) { id } }", {"id": gid}
            )
            assert one["node"] is None


async def test_every_role_has_a_crawl_worth_checking(world: World) -> None:
    # The oracle itself: every role sees something, and roles differ.
    today = local_date(system_clock())
    seen = {role: world.visible(accounts_of(world, role)[0], today, CRAWLED) for role in ROLES}
    assert all(seen.values())
    assert len({frozenset(v) for v in seen.values()}) == len(ROLES)


async def test_the_repair_projects_are_worth_crawling_for_every_role(world: World) -> None:
    # Some account of every role but DELEGATE takes part in a repair project, and the
    # offices and owners see fewer than the project's manager (drafts are its own).
    today = local_date(system_clock())
    for role in ROLES:
        seen = [world.visible(a, today, REPAIR_TYPES) for a in accounts_of(world, role)]
        if role == "DELEGATE":
            assert not any(seen)
        else:
            assert any(seen), role
    every = world.repair_ids()
    city = world.visible(accounts_of(world, "CITY")[0], today, REPAIR_TYPES)
    assert city and city < every  # drafts are not the city's
