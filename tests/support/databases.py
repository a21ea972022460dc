"""Fresh databases for tests, on SQLite or on the server in PROPGRAPH_TEST_DATABASE_URL.

SQLite databases are files in a temporary folder; a copy is a file copy.
PostgreSQL databases are created on the server (and dropped at the end);
a copy is ``CREATE DATABASE ... TEMPLATE``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from propgraph.authz.policy import install_default_policy
from propgraph.db import create_engine
from propgraph.migrate import upgrade

SERVER_URL = os.environ.get("PROPGRAPH_TEST_DATABASE_URL")


class TestDatabases:
    __test__ = False  # not a test class

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.created: list[str] = []
        self.prefix = f"pgt_{uuid.uuid4().hex[:8]}"

    @property
    def backend(self) -> str:
        return "postgresql" if SERVER_URL else "sqlite"

    def _new_name(self) -> str:
        return f"{self.prefix}_{len(self.created)}"

    async def _admin(self, *statements: str) -> None:
        assert SERVER_URL
        engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                for statement in statements:
                    await conn.execute(text(statement))
        finally:
            await engine.dispose()

    async def empty(self, *, migrated: bool = True) -> str:
        """The URL of a new database, migrated to head unless asked otherwise."""
        name = self._new_name()
        self.created.append(name)
        if SERVER_URL:
            await self._admin(f'CREATE DATABASE "{name}"')
            url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{self.folder / name}.db"
        if migrated:
            engine = create_engine(url)
            try:
                await upgrade(engine)
                await install_default_policy(engine)
            finally:
                await engine.dispose()
        return url

    async def copy(self, source_url: str) -> str:
        """A new database with the same contents as ``source_url``."""
        name = self._new_name()
        self.created.append(name)
        if SERVER_URL:
            source = make_url(source_url).database
            await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        source_path = Path(make_url(source_url).database or "")
        target = self.folder / f"{name}.db"
        shutil.copyfile(source_path, target)
        return f"sqlite:///{target}"

    async def drop_all(self) -> None:
        if SERVER_URL:
            for name in self.created:
                await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
