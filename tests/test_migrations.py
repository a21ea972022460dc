"""Migrations build the whole schema, an unmigrated database is refused, and a
policy installed before a revision gets that revision's policy lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect, select

from propgraph.db import create_engine
from propgraph.migrate import (
    DatabaseNotReady,
    alembic_config,
    current_revision,
    ensure_current,
    head_revision,
)
from propgraph.migrations.policy import CASBIN_RULE
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


async def test_a_policy_installed_before_a_revision_gets_its_lines(empty_db_url: str) -> None:
    # given a database at head with the default policy installed (as `migrate` leaves it)
    engine = create_engine(empty_db_url)
    config = alembic_config()

    def move(target: str, how: Callable[[Config, str], None]) -> Callable[[Connection], None]:
        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            how(config, target)

        return run

    async def policy() -> set[tuple[str, ...]]:
        async with engine.connect() as conn:
            rows = await conn.execute(select(CASBIN_RULE))
            return {tuple(row) for row in rows}

    try:
        installed = await policy()
        # when it goes back to before the revisions that add policy lines (0004)
        async with engine.begin() as conn:
            await conn.run_sync(move("0003", command.downgrade))
        # then their lines are gone, and the rest of the policy is left
        older = await policy()
        assert ("p", "ACCOUNT", "Subscription.todoChanged", "read", "allow") in installed - older
        assert ("p", "OWNER", "Mutation.castVote", "call", "allow") in installed - older
        assert older and older < installed
        # and upgrading again brings exactly those lines back, once each
        async with engine.begin() as conn:
            await conn.run_sync(move("head", command.upgrade))
        assert await policy() == installed
    finally:
        await engine.dispose()
