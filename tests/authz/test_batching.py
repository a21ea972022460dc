"""Statements per request depend on the query's shape, never on the number of rows."""

from __future__ import annotations

import asyncio

from tests.support.app import RunningApp, running_app, statements_sent
from tests.support.queries import UNLIMITED, WHOLE_DRILL_DOWN

MAX_STATEMENTS = 25

# Shapes that fan out at every level: each must cost the same on both datasets.
OWNER_PAGE = """{ me { scope { id ... on Owner { name units { number building { name project {
  name region { districtName } enterprise { name } buildings { totalCount } } } } } } } }"""
SUBSIDY_DASHBOARD = """{ districts { edges { node { name subsidyFigures { total { applications area }
  byStatus { status applications } } streets { edges { node { name subsidyFigures { total { projects } } } } } } } } }"""


async def _count(app: RunningApp, username: str, query: str) -> tuple[int, dict]:
    """The fewest statements of three asks: the counter is global to the process, so
    background work (a listener reloading the policy, the other app's start-up) can only
    add to one ask, never take away; the query's own cost is the same each time."""
    client = app.client(username)
    counts = []
    for _ in range(3):
        before = statements_sent()
        data = await client.data(query)
        counts.append(int(statements_sent() - before))
    return min(counts), data


async def test_drill_down_costs_the_same_on_tiny_and_small(
    tiny_db_url: str, small_db_url: str
) -> None:
    # given the same drill-down of everything on 192 and on about 20,000 units
    # (its cost, time and size are over the defaults: this test is about statements)
    bounds = {"limits": UNLIMITED, "operation_timeout_seconds": 300, "max_response_bytes": 10**9}
    async with (
        running_app(tiny_db_url, **bounds) as tiny,
        running_app(small_db_url, **bounds) as small,
    ):
        # Each app's first request may share the global statement counter with the
        # process's start-up (the listener connecting reloads the policy): count the second.
        for app in (tiny, small):
            await _count(app, "city_head", SUBSIDY_DASHBOARD)
        tiny_count, tiny_data = await _count(tiny, "city_head", WHOLE_DRILL_DOWN)
        small_count, small_data = await _count(small, "city_head", WHOLE_DRILL_DOWN)
        other_shapes = [
            (await _count(tiny, "city_head", SUBSIDY_DASHBOARD))[0],
            (await _count(small, "city_head", SUBSIDY_DASHBOARD))[0],
        ]
    # then the small one returned far more rows, for the same number of statements
    assert _rows(small_data) > 10 * _rows(tiny_data)
    assert tiny_count == small_count <= MAX_STATEMENTS, (tiny_count, small_count)
    assert other_shapes[0] == other_shapes[1]


def _rows(value: object) -> int:
    if isinstance(value, dict):
        return ("id" in value) + sum(_rows(v) for v in value.values())
    if isinstance(value, list):
        return sum(_rows(v) for v in value)
    return 0


async def test_an_owner_page_costs_the_same_whoever_asks(tiny: RunningApp) -> None:
    from sqlalchemy import select

    from propgraph.models import Account

    async with tiny.services.engine.connect() as conn:
        owners = (
            (
                await conn.execute(
                    select(Account.username).where(Account.role == "OWNER").order_by(Account.id)
                )
            )
            .scalars()
            .all()
        )
    # Whether a viewer is cached depends on earlier tests and on whether the
    # process already listens for changes (PostgreSQL); wait for it, then warm up.
    viewers = tiny.app.state.gateway.viewers
    if tiny.services.engine.dialect.name == "postgresql":
        for _ in range(100):
            if viewers.active:
                break
            await asyncio.sleep(0.05)
    for username in owners:
        await _count(tiny, username, OWNER_PAGE)
    counts = {(await _count(tiny, username, OWNER_PAGE))[0] for username in owners}
    assert len(counts) == 1, counts
