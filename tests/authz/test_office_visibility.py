"""Evaluations and tender filings: every account of every role reaches exactly its own.

The shared tiny dataset holds no office work, so this module seeds the demo's
office history (datasets/office.py) into a private copy and crawls it as
tests/authz/test_visibility.py does, against the same oracle.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from propgraph.clock import local_date, system_clock
from propgraph.datasets.office import seed_office_history
from propgraph.db import create_engine
from tests.support.app import RunningApp, running_app
from tests.support.crawler import crawl
from tests.support.databases import TestDatabases
from tests.support.world import GRAPH_TYPES, World, load_world

ROLES = ["CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE"]
OFFICE_TYPES = {"Evaluation", "TenderFiling", "Notice"}


@pytest.fixture(scope="module")
async def office_url(databases: TestDatabases, tiny_template_url: str) -> str:
    url = await databases.copy(tiny_template_url)
    engine = create_engine(url)
    try:
        await seed_office_history(engine)
    finally:
        await engine.dispose()
    return url


@pytest.fixture(scope="module")
async def world(office_url: str) -> World:
    return await load_world(office_url)


@pytest.fixture(scope="module")
async def app(office_url: str) -> AsyncIterator[RunningApp]:
    async with running_app(office_url) as running:
        yield running


def of_office(ids: set[str], world: World) -> set[str]:
    from propgraph.schema.relay import decode_ids

    return {
        gid
        for gid, ref in zip(ids, decode_ids(list(ids)), strict=True)
        if ref and ref.type_name in OFFICE_TYPES
    }


async def test_the_seed_has_office_work_for_the_oracle(world: World) -> None:
    assert len(world.rows["Evaluation"]) >= 10 and len(world.rows["TenderFiling"]) >= 7
    assert len(world.rows["Notice"]) == 2 and world.notice_recipients


@pytest.mark.parametrize("role", ROLES)
async def test_crawl_and_nodes_reach_exactly_the_visible_office_work(
    app: RunningApp, world: World, role: str
) -> None:
    today = local_date(system_clock())
    every_id = sorted(world.all_ids())
    accounts = [a for a in world.accounts if a.role == role and not a.disabled]
    assert accounts
    for account in accounts:
        expected = world.visible(account, today)
        reached = await crawl(app.client(account.username), only=set(GRAPH_TYPES))
        assert reached == expected, (
            f"{account.username}: unexpected {sorted(reached - expected)[:5]}, "
            f"missing {sorted(expected - reached)[:5]}"
        )
        data = await app.client(account.username).data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": every_id}
        )
        assert {n["id"] for n in data["nodes"] if n} == expected, account.username
    if role in ("CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER"):
        assert any(of_office(world.visible(a, today), world) for a in accounts), role
    else:
        assert not any(of_office(world.visible(a, today), world) for a in accounts), role
