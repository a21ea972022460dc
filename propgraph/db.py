"""Engines, the per-request connection, and SQL statement counting."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Result, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.exc import TimeoutError as SATimeoutError
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


def server_settings(statement_timeout: float | None = None) -> dict[str, str]:
    """The session settings of every PostgreSQL connection of the gateway.

    JIT compilation pays off for long analytic queries, not for the
    millisecond lookups a GraphQL request sends; it added ~70 ms to some.
    Compiled reads (resolvers/compiled) are prepared once per connection;
    with custom plans PostgreSQL planned a unit page for 4 ms to run it in
    0.7. Our statements look rows up by key: one generic plan serves all.
    """
    settings = {"jit": "off", "plan_cache_mode": "force_generic_plan"}
    if statement_timeout:
        settings["statement_timeout"] = str(int(statement_timeout * 1000))
    return settings


def create_engine(
    url: str | URL, *, statement_timeout: float | None = None, **kwargs: Any
) -> AsyncEngine:
    """An async engine; ``statement_timeout`` (seconds) makes PostgreSQL stop long statements.

    The gateway passes its per-operation time limit, so the database stops
    the work too; migrations and the seed do not (they run long statements).
    A pool that has no connection free within ``pool_timeout`` (2 s) raises
    at once instead of queueing requests for 30 s: the gateway answers 503.
    """
    url = async_url(url)
    kwargs.setdefault("pool_timeout", 2.0)
    if url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": 30})
    else:
        kwargs.setdefault("connect_args", {"server_settings": server_settings(statement_timeout)})
        if "poolclass" not in kwargs:
            kwargs.setdefault("pool_size", 10)
            kwargs.setdefault("max_overflow", 20)
            # No pre-ping: SQLAlchemy's costs three round trips per request
            # (BEGIN, ";", ROLLBACK). A connection the server closed is known
            # to asyncpg already and is replaced at checkout (_alive_at_checkout).
            kwargs.setdefault("pool_pre_ping", False)
    if kwargs.get("poolclass") is not None:
        kwargs.pop("pool_timeout")
    engine = create_async_engine(url, **kwargs)
    _count_statements(engine)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    else:
        _alive_at_checkout(engine)
    return engine


def _alive_at_checkout(engine: AsyncEngine) -> None:
    """Replace a pooled connection whose socket the server has closed (a restart,
    ``pg_terminate_backend``) before a request gets it: no round trip needed."""

    @event.listens_for(engine.sync_engine, "checkout")
    def alive(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        driver = record.driver_connection
        if driver is not None and driver.is_closed():
            raise DisconnectionError("the server closed this connection")


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


# SQLite's busy handler retries a waiting writer after growing sleeps, so under
# a steady stream of writes a waiter can lose to newcomers again and again: at
# 16 concurrent writers a create waited past the 10 s operation timeout
# (tests/load). One process serves an SQLite file, so its writers queue here
# instead, first come first served, and only one at a time asks SQLite.
_SQLITE_WRITERS: weakref.WeakKeyDictionary[Any, dict[Any, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _sqlite_writer_lock(conn: AsyncConnection) -> asyncio.Lock:
    """The queue of this process's writers to one SQLite database, on this event loop."""
    per_loop = _SQLITE_WRITERS.setdefault(conn.engine.sync_engine, {})
    loop = asyncio.get_running_loop()
    if loop not in per_loop:
        per_loop.clear()  # a lock belongs to one event loop; old loops are gone
        per_loop[loop] = asyncio.Lock()
    return per_loop[loop]


@asynccontextmanager
async def write_transaction(conn: AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """A transaction that writes: on SQLite it begins IMMEDIATE (see above)."""
    info = conn.sync_connection.info  # type: ignore[union-attr]
    queue = _sqlite_writer_lock(conn) if is_sqlite(conn) else None
    if queue is not None:
        await queue.acquire()
    info["write"] = True
    try:
        async with conn.begin():
            yield conn
        for callback in info.pop("after_commit", []):  # propgraph/live.py
            callback()
    finally:
        info.pop("write", None)
        info.pop("after_commit", None)  # rolled back: nothing to announce
        if queue is not None:
            queue.release()


class RequestFinished(Exception):
    """A statement arrived after its request had answered."""


class PoolExhausted(Exception):
    """No pooled connection came free in time: the gateway answers 503."""


class DriverPool:
    """asyncpg's own pool, for a request answered by one compiled statement alone.

    A request the direct path answers (``resolvers/compiled/direct.py``) sends
    one statement and holds no other connection. Checking a connection out of
    SQLAlchemy's async engine and back (a greenlet round each way) cost it
    70-100 µs of CPU, a sixth of all its Python; asyncpg's own pool 24 µs.
    Same session settings as the engine's connections; nothing to reset on
    release (one read leaves nothing behind); a connection the server closed
    is replaced by asyncpg. Nothing free within ``timeout`` raises
    ``PoolExhausted``, as the engine's pool does.
    """

    def __init__(
        self, url: URL, settings: dict[str, str], size: int = 10, timeout: float = 2.0
    ) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.settings = settings
        self.size = size
        self.timeout = timeout
        self._pool: Any = None

    async def open(self) -> None:
        import asyncpg

        self._pool = await asyncpg.create_pool(
            self.dsn,
            min_size=1,
            max_size=self.size,
            server_settings=self.settings,
            reset=_nothing_to_reset,
        )

    async def fetch_value(self, sql: str, params: list[Any], timeout: float | None) -> Any:
        try:
            conn = await self._pool.acquire(timeout=self.timeout)
        except TimeoutError as exc:
            raise PoolExhausted("no connection of the driver pool came free in time") from exc
        try:
            return await conn.fetchval(sql, *params, timeout=timeout)
        except (TimeoutError, asyncio.CancelledError):
            # Stopped half-way on this side: the connection is not reused (the pool
            # opens another); the server stops the statement by its own timeout.
            conn.terminate()
            raise
        finally:
            await self._pool.release(conn)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


async def _nothing_to_reset(_conn: Any) -> None:
    """A read leaves no session state behind (asyncpg's default reset is a round trip)."""


class RequestDB:
    """The database as one request sees it.

    An HTTP request holds one connection, opened on first use (loading the
    account, or ``connect()`` before the operations run; never while the
    body is still arriving) and released before the answer is sent: one
    consistent snapshot, and a slow reader never pins a pooled connection.
    A request answered by one compiled statement before it holds any (the
    direct path) sends it through the ``DriverPool`` instead. A WebSocket
    (``hold=False``) takes a connection per statement or transaction, so an
    idle socket holds none.

    graphql-core resolves sibling fields concurrently and every DataLoader
    batch runs as its own task; an AsyncConnection must not be used by two
    tasks at once, so statements are serialized by a lock. Each statement
    runs shielded: when execution stops early (a sibling field failed, or
    the operation's time ran out) the statement finishes instead of being
    cancelled half-way, which would leave the connection unusable, and
    ``close()`` waits for it.
    """

    def __init__(
        self, engine: AsyncEngine, *, hold: bool = True, driver: DriverPool | None = None
    ) -> None:
        self.engine = engine
        self.hold = hold
        # A statement sent while the request holds no connection yet (the direct
        # path's one statement) goes through the driver's pool, when there is one.
        self.driver = driver
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()
        self._closed = False
        # Rows this request has fetched or reserved (resolvers/paging.py caps it).
        self.rows_reserved = 0

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def _open(self) -> AsyncConnection:
        try:
            return await self.engine.connect()
        except SATimeoutError as exc:
            raise PoolExhausted(str(exc)) from exc

    @asynccontextmanager
    async def _short(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one statement or transaction (``hold=False``)."""
        conn = await self._open()
        try:
            yield conn
        finally:
            await conn.close()

    async def _connection(self) -> AsyncConnection:
        if self._closed:
            raise RequestFinished("the request has already been answered")
        if self._conn is None:
            self._conn = await self._open()
        return self._conn

    async def connect(self) -> None:
        """Take the request's connection now (raises ``PoolExhausted``)."""
        if self.hold:
            async with self._lock:
                await self._connection()

    async def _run(self, statement: Executable, params: Any) -> Result[Any]:
        async with self._lock:
            if not self.hold:
                async with self._short() as conn:
                    result = await conn.execute(statement, params)
                    buffered = result.freeze()
                    await conn.commit()
                    return buffered()
            conn = await self._connection()
            return await conn.execute(statement, params)

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        return await asyncio.shield(self._run(statement, params))

    async def fetch_json(self, sql: str, params: list[Any], timeout: float | None = None) -> str:
        """One value of a compiled read (PostgreSQL text, ``$n`` parameters), through
        asyncpg directly: its statement cache prepares each plan once per connection.
        Past ``timeout`` seconds asyncpg cancels the statement and raises ``TimeoutError``."""
        if self.hold and self._conn is None and self.driver is not None and not self._lock.locked():
            # The direct path's one statement: nothing shares a connection with it
            # (no lock), and one stopped half-way is dropped by the pool (no shield).
            if self._closed:
                raise RequestFinished("the request has already been answered")
            SQL_STATEMENTS.inc()
            value: str = await self.driver.fetch_value(sql, params, timeout)
            return value
        return await asyncio.shield(self._fetch_json(sql, params, timeout))

    async def _fetch_json(self, sql: str, params: list[Any], timeout: float | None) -> str:
        async with self._lock:
            if self.hold:
                return await self._driver_value(await self._connection(), sql, params, timeout)
            async with self._short() as conn:
                return await self._driver_value(conn, sql, params, timeout)

    @staticmethod
    async def _driver_value(
        conn: AsyncConnection, sql: str, params: list[Any], timeout: float | None
    ) -> str:
        sync = conn.sync_connection
        # A connection checked out and valid is at hand without a greenlet round.
        if sync is not None and not sync.invalidated and not sync.closed:
            raw = sync.connection
        else:
            raw = await conn.get_raw_connection()
        SQL_STATEMENTS.inc()
        driver: Any = raw.driver_connection
        value: str = await driver.fetchval(sql, *params, timeout=timeout)
        return value

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
            if not self.hold:
                async with self._short() as conn, write_transaction(conn):
                    yield conn
                return
            conn = await self._connection()
            if conn.in_transaction():
                await conn.commit()  # end the read snapshot before writing
            async with write_transaction(conn):
                yield conn

    async def close(self) -> None:
        """Release the connection once statements in flight have finished."""
        async with self._lock:
            self._closed = self.hold  # a WebSocket's db serves every later message
            if self._conn is not None:
                conn, self._conn = self._conn, None
                await conn.close()
