"""Shared fixtures: fresh databases (SQLite, or PostgreSQL when configured) and apps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from propgraph.datasets import seed
from propgraph.db import create_engine
from propgraph.resolvers.compiled import executor as compiled_reads
from tests.support.app import RunningApp, running_app
from tests.support.databases import TestDatabases
from tests.support.repair import repairs  # noqa: F401 - the repair-flow fixture

# A compiled read that fails is a bug to see here, not one to hide behind the resolvers.
compiled_reads.STRICT = True


@pytest.fixture(scope="session")
async def databases(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TestDatabases]:
    dbs = TestDatabases(Path(tmp_path_factory.mktemp("databases")))
    yield dbs
    await dbs.drop_all()


@pytest.fixture
async def empty_db_url(databases: TestDatabases) -> str:
    """A fresh database migrated to head, holding no data."""
    return await databases.empty()


async def seeded(databases: TestDatabases, scale: str) -> str:
    url = await databases.empty()
    engine = create_engine(url)
    try:
        await seed(engine, scale, progress=False)
    finally:
        await engine.dispose()
    return url


@pytest.fixture(scope="session")
async def tiny_template_url(databases: TestDatabases) -> str:
    """The seeded tiny dataset; never connected to again, so it can be copied."""
    return await seeded(databases, "tiny")


@pytest.fixture(scope="session")
async def tiny_db_url(databases: TestDatabases, tiny_template_url: str) -> str:
    """A tiny dataset shared by read-only tests: do not change it."""
    return await databases.copy(tiny_template_url)


@pytest.fixture(scope="session")
async def tiny(tiny_db_url: str) -> AsyncIterator[RunningApp]:
    """An app over the shared read-only tiny dataset."""
    async with running_app(tiny_db_url) as app:
        yield app


@pytest.fixture
async def fresh_tiny_url(databases: TestDatabases, tiny_template_url: str) -> str:
    """A private copy of the tiny dataset, for tests that change data."""
    return await databases.copy(tiny_template_url)


@pytest.fixture(scope="session")
async def small_template_url(databases: TestDatabases) -> str:
    """The seeded small dataset; never connected to again, so it can be copied."""
    return await seeded(databases, "small")


@pytest.fixture(scope="session")
async def small_db_url(databases: TestDatabases, small_template_url: str) -> str:
    """The small dataset (about 20,000 units), read-only."""
    return await databases.copy(small_template_url)
