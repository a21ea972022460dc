"""A pooled connection the server has closed is replaced before a request gets it.

The pool does no pre-ping (SQLAlchemy's costs three round trips per request,
propgraph/db.py); asyncpg notices a closed socket by itself, and checkout
swaps such a connection for a new one. PostgreSQL only.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from propgraph.db import create_engine
from tests.support.app import running_app
from tests.support.databases import SERVER_URL

pytestmark = pytest.mark.skipif(not SERVER_URL, reason="PostgreSQL's backends are terminated")


async def test_requests_after_the_server_closed_every_connection_succeed(
    fresh_tiny_url: str,
) -> None:
    database = make_url(fresh_tiny_url).database
    async with running_app(fresh_tiny_url) as app:
        client = app.client("city_head")
        for _ in range(3):  # a few connections into the pool
            await client.data("{ districts { totalCount } }")
        admin = create_engine(SERVER_URL or "", poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as conn:
                killed = await conn.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": database},
                )
        finally:
            await admin.dispose()
        assert killed >= 1
        await asyncio.sleep(0.2)  # the closed sockets reach asyncpg
        for _ in range(5):
            body = await client.execute("{ districts { totalCount } }")
            assert body == {"data": {"districts": {"totalCount": 2}}}, body
