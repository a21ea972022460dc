"""Shared fixtures: fresh databases (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.databases import TestDatabases


@pytest.fixture(scope="session")
async def databases(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TestDatabases]:
    dbs = TestDatabases(Path(tmp_path_factory.mktemp("databases")))
    yield dbs
    await dbs.drop_all()


@pytest.fixture
async def empty_db_url(databases: TestDatabases) -> str:
    """A fresh database migrated to head, holding no data."""
    return await databases.empty()
