"""SQLite writers of one process take turns in the order they came (propgraph/db.py)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from propgraph.db import create_engine, write_transaction
from tests.support.databases import SERVER_URL

WRITERS = 12


@pytest.mark.skipif(SERVER_URL is not None, reason="PostgreSQL's row locks need no queue")
async def test_writers_are_served_first_come_first_served(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    asked: list[int] = []
    finished: list[int] = []

    async def writer(index: int) -> None:
        async with engine.connect() as conn:
            asked.append(index)
            async with write_transaction(conn):
                await conn.execute(text("CREATE TABLE IF NOT EXISTS turns (n INTEGER)"))
                await conn.execute(text("INSERT INTO turns VALUES (:n)"), {"n": index})
                await asyncio.sleep(0.02)  # the event loop serves others while the lock is held
            finished.append(index)

    try:
        tasks = []
        for index in range(WRITERS):
            tasks.append(asyncio.create_task(writer(index)))
            await asyncio.sleep(0.005)  # each arrives after the one before
        async with asyncio.timeout(30):
            await asyncio.gather(*tasks)
    finally:
        await engine.dispose()
    # SQLite's own busy handler retries after growing sleeps: waiters overtake each other
    assert finished == asked
