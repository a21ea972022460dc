"""Real ``propgraph serve`` processes on loopback for tests, signed with the test key.

Built on ``bench/server.py`` (the benchmark starts its servers the same way);
tokens come from ``tests.support.app.token_for``, since the server is given
the same secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.server import Server, server_environment
from propgraph.db import create_engine
from tests.support.app import TEST_SECRET, token_for

ME = "{ me { username } }"


def served_environment(database_url: str, **extra: str) -> dict[str, str]:
    env = server_environment(database_url, None)
    env["PROPGRAPH_JWT_SECRET"] = TEST_SECRET
    env["PROPGRAPH_LOG_JSON"] = "0"
    env.update(extra)
    return env


@contextmanager
def served(
    database_url: str, log_dir: Path, name: str, workers: int = 1, **extra: str
) -> Iterator[Server]:
    """``propgraph serve`` on a free loopback port until the block ends; its log in ``log_dir``."""
    with (log_dir / f"{name}.log").open("w") as log:
        server = Server(served_environment(database_url, **extra), workers, log)
        server.start(timeout=120)
        try:
            yield server
        finally:
            server.stop()


async def post(
    http: httpx.AsyncClient,
    server: Server,
    username: str | None,
    query: str,
    variables: dict[str, Any] | None = None,
) -> httpx.Response:
    """One GraphQL request to ``server`` as ``username`` (anonymous with None)."""
    headers = {"Authorization": f"Bearer {token_for(username)}"} if username else {}
    return await http.post(
        f"{server.base_url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )


async def execute_sql(database_url: str, statement: Any) -> None:
    """One committed change made outside the gateways (an operator's SQL)."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(statement)
    finally:
        await engine.dispose()
