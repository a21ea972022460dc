"""Alembic, driven from code: upgrade to head, and tell whether a database is current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import propgraph.migrations

MIGRATIONS_DIR = Path(propgraph.migrations.__file__).parent


class DatabaseNotReady(RuntimeError):
    """The database is missing migrations; the message says what to run."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def upgrade(engine: AsyncEngine) -> None:
    config = alembic_config()

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def ensure_current(engine: AsyncEngine) -> None:
    """Refuse a database that is not at the head revision."""
    current = await current_revision(engine)
    head = head_revision()
    if current is None:
        raise DatabaseNotReady("The database has not been migrated. Run `propgraph migrate` first.")
    if current != head:
        raise DatabaseNotReady(
            f"The database is at migration {current}, but this propgraph needs {head}. "
            "Run `propgraph migrate` first."
        )
