"""Several real ``propgraph serve`` processes on one PostgreSQL database behave as one (issue 8.4).

Process A serves one worker, process B two (``--workers 2``); each worker
keeps compiled viewers in memory. A change made anywhere (here in SQL, as an
operator would: no mutation disables accounts or revokes delegations yet)
must be refused or applied by every worker on its next request, within a
second.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text, update

from bench.server import Server, statements_counter
from propgraph.db import create_engine
from propgraph.models import Account, Delegation
from tests.support.databases import SERVER_URL
from tests.support.served import ME, execute_sql, post, served

pytestmark = pytest.mark.skipif(
    SERVER_URL is None,
    reason="processes share a database and hear of changes only on PostgreSQL "
    "(set PROPGRAPH_TEST_DATABASE_URL); SQLite serves one process",
)

DELEGATE_PROJECTS = "{ projects(first: 5) { totalCount } }"
ROUNDS = 20  # requests per server and check, each on a new connection: both workers answer some
DEADLINE = 1.0  # seconds from the commit to the change in every process


@pytest.fixture
def two_gateways(fresh_tiny_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    with (
        served(fresh_tiny_url, tmp_path, "a", workers=1) as a,
        served(fresh_tiny_url, tmp_path, "b", workers=2) as b,
    ):
        yield a, b


async def _every_request(
    servers: tuple[Server, ...], check: Callable[[Server], Awaitable[bool]]
) -> bool:
    for server in servers:
        for _ in range(ROUNDS):
            if not await check(server):
                return False
    return True


async def _within_deadline(
    servers: tuple[Server, ...], check: Callable[[Server], Awaitable[bool]], what: str
) -> None:
    """``ROUNDS`` requests in a row to every server pass ``check`` within ``DEADLINE``."""
    started = time.monotonic()
    while not await _every_request(servers, check):
        elapsed = time.monotonic() - started
        assert elapsed < DEADLINE, (
            f"{what}: a process still serves stale state after {elapsed:.2f} s"
        )
        await asyncio.sleep(0.01)


def _client() -> httpx.AsyncClient:
    # No keep-alive: each request is a new connection, which either worker may accept.
    return httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0))


async def _statements(http: httpx.AsyncClient, server: Server) -> float:
    return statements_counter((await http.get(f"{server.base_url}/metrics")).text)


async def test_an_account_disabled_anywhere_is_refused_by_every_process(
    two_gateways: tuple[Server, Server], fresh_tiny_url: str
) -> None:
    a, b = two_gateways

    async def answered(server: Server) -> bool:
        return (await post(http, server, "city_head", ME)).status_code == 200

    async def refused(server: Server) -> bool:
        return (await post(http, server, "city_head", ME)).status_code == 401

    async with _client() as http:
        # given every worker answers the account, A from its cache (nothing read again)
        assert await _every_request((a, b), answered)
        before = await _statements(http, a)
        assert await answered(a)
        assert await _statements(http, a) == before, "A did not keep the viewer"
        # when the account is disabled outside both gateways
        await execute_sql(
            fresh_tiny_url,
            update(Account).where(Account.username == "city_head").values(disabled=True),
        )
        # then every process refuses it within a second, and takes it back the same way
        await _within_deadline((a, b), refused, "disabled account")
        await execute_sql(
            fresh_tiny_url,
            update(Account).where(Account.username == "city_head").values(disabled=False),
        )
        await _within_deadline((a, b), answered, "enabled account")


async def test_a_revoked_delegation_leaves_its_delegate_nothing_in_every_process(
    two_gateways: tuple[Server, Server], fresh_tiny_url: str
) -> None:
    a, b = two_gateways
    engine = create_engine(fresh_tiny_url)
    try:
        async with engine.connect() as conn:
            delegate, delegation_id = (
                await conn.execute(
                    select(Account.username, Delegation.id)
                    .join(Delegation, Delegation.id == Account.delegation_id)
                    .where(
                        Delegation.revoked_at.is_(None),
                        Delegation.starts_on <= func.current_date(),
                        Delegation.ends_on >= func.current_date(),
                    )
                    .order_by(Account.id)
                    .limit(1)
                )
            ).one()
    finally:
        await engine.dispose()

    async def projects_seen(server: Server) -> int:
        response = await post(http, server, delegate, DELEGATE_PROJECTS)
        assert response.status_code == 200, response.text
        return response.json()["data"]["projects"]["totalCount"]

    async def sees_its_project(server: Server) -> bool:
        return await projects_seen(server) == 1

    async def sees_nothing(server: Server) -> bool:
        return await projects_seen(server) == 0

    async with _client() as http:
        # given the delegate sees its project through every worker
        assert await _every_request((a, b), sees_its_project)
        # when the owner's delegation is revoked
        await execute_sql(
            fresh_tiny_url,
            update(Delegation)
            .where(Delegation.id == delegation_id)
            .values(revoked_at=text("now()")),
        )
        # then no process shows the delegate anything within a second
        await _within_deadline((a, b), sees_nothing, "revoked delegation")
