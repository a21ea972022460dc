"""Migrations build the whole schema, and an unmigrated database is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from propgraph.db import create_engine
from propgraph.migrate import DatabaseNotReady, current_revision, ensure_current, head_revision
from propgraph.models import Base
from tests.support.databases import TestDatabases


async def test_migrations_create_every_table(empty_db_url: str) -> None:
    # given a database migrated to head
    engine = create_engine(empty_db_url)
    try:
        # when we list its tables
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        # then every model's table is there, and the revision is head
        assert set(Base.metadata.tables) <= tables
        assert await current_revision(engine) == head_revision()
        await ensure_current(engine)
    finally:
        await engine.dispose()


async def test_unmigrated_database_is_refused(databases: TestDatabases) -> None:
    url = await databases.empty(migrated=False)
    engine = create_engine(url)
    try:
        with pytest.raises(DatabaseNotReady, match="propgraph migrate"):
            await ensure_current(engine)
    finally:
        await engine.dispose()
