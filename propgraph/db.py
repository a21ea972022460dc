"""Engines, the per-request connection, and SQL statement counting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Result, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable

from propgraph.metrics import SQL_STATEMENTS

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str | URL) -> URL:
    """Give plain ``sqlite://`` and ``postgresql://`` URLs their async driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if parsed.drivername in ASYNC_DRIVERS.values() or backend not in ASYNC_DRIVERS:
        return parsed
    return parsed.set(drivername=ASYNC_DRIVERS[backend])


def is_sqlite(engine: AsyncEngine | Connection | AsyncConnection) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    url = async_url(url)
    if url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": 30})
    else:
        # JIT compilation pays off for long analytic queries, not for the
        # millisecond lookups a GraphQL request sends; it added ~70 ms to some.
        kwargs.setdefault("connect_args", {"server_settings": {"jit": "off"}})
        if "poolclass" not in kwargs:
            kwargs.setdefault("pool_size", 10)
            kwargs.setdefault("max_overflow", 20)
            kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    _count_statements(engine)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def _count_statements(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def count(*_: Any) -> None:
        SQL_STATEMENTS.inc()


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Foreign keys on, WAL, and explicit BEGIN so writers can ask for IMMEDIATE.

    pysqlite's own transaction handling would start a deferred transaction
    that later fails with "database is locked" when two writers race; we
    issue BEGIN ourselves (SQLAlchemy's documented recipe) and make write
    transactions ``BEGIN IMMEDIATE`` so the second writer waits instead.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


@asynccontextmanager
async def write_transaction(conn: AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """A transaction that writes: on SQLite it begins IMMEDIATE (see above)."""
    conn.sync_connection.info["write"] = True  # type: ignore[union-attr]
    try:
        async with conn.begin():
            yield conn
    finally:
        conn.sync_connection.info.pop("write", None)  # type: ignore[union-attr]


class RequestDB:
    """One database connection per request, opened on first use.

    graphql-core resolves sibling fields concurrently and every DataLoader
    batch runs as its own task; an AsyncConnection must not be used by two
    tasks at once, so statements are serialized by a lock. One connection
    also gives each request one consistent snapshot.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()
        # Rows this request has fetched or reserved (resolvers/paging.py caps it).
        self.rows_reserved = 0

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            self._conn = await self.engine.connect()
        return self._conn

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        async with self._lock:
            conn = await self._connection()
            return await conn.execute(statement, params)

    async def all(self, statement: Executable, params: Any = None) -> Sequence[Any]:
        return (await self.execute(statement, params)).all()

    async def scalar(self, statement: Executable, params: Any = None) -> Any:
        return (await self.execute(statement, params)).scalar()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction; everything inside commits or nothing does.

        The lock is held for the whole transaction, so concurrent loaders
        of the same request wait rather than interleave with the write.
        """
        async with self._lock:
            conn = await self._connection()
            if conn.in_transaction():
                await conn.commit()  # end the read snapshot before writing
            async with write_transaction(conn):
                yield conn

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()
