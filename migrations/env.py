"""Alembic environment: runs on the connection ``propgraph.migrate`` hands in."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from propgraph.models import Base

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    from propgraph.db import create_engine
    from propgraph.settings import get_settings

    engine = create_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    async with engine.connect() as conn:
        await conn.run_sync(run_on)
        await conn.commit()
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:  # plain `alembic` command line, for developers writing migrations
    asyncio.run(run_online())
