"""Live updates: which to-dos changed, told to subscribers in every gateway process.

A write announces the ids it changed inside its own transaction:

- PostgreSQL: ``pg_notify`` on ``CHANNEL``, which the server delivers only
  when the transaction commits, to every process listening (each gateway
  process keeps one listening connection: ``PostgresListener``);
- SQLite (one process): the ids are handed to this process's subscribers
  right after the commit.

An announcement carries nothing but ids: each subscriber reads the to-dos
again through its own viewer's scope, so what it is told can never be more
than what it may see, and a spurious announcement is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable, Sequence

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection

log = logging.getLogger("propgraph.live")
CHANNEL = "propgraph_todos"
# Database triggers announce changed accounts (a username, or "*" for a change
# that may touch many: delegations, the policy): migration 0005.
ACCOUNTS_CHANNEL = "propgraph_accounts"
# A trigger on casbin_rule announces every change to the policy (migration 0013).
POLICY_CHANNEL = "propgraph_policy"
QUEUE_SIZE = 256  # a subscriber this far behind misses announcements, never blocks writers


class Fanout:
    """The subscribers of one app, each with its own queue of changed ids."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[tuple[int, ...]]] = set()
        _FANOUTS.add(self)

    def subscribe(self) -> asyncio.Queue[tuple[int, ...]]:
        queue: asyncio.Queue[tuple[int, ...]] = asyncio.Queue(QUEUE_SIZE)
        self.queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[tuple[int, ...]]) -> None:
        self.queues.discard(queue)

    def deliver(self, ids: Sequence[int]) -> None:
        for queue in list(self.queues):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(tuple(ids))


_FANOUTS: weakref.WeakSet[Fanout] = weakref.WeakSet()


def after_commit(conn: AsyncConnection, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the write transaction of ``conn`` has committed (db.py)."""
    info = conn.sync_connection.info  # type: ignore[union-attr]
    info.setdefault("after_commit", []).append(callback)


async def todos_changed(conn: AsyncConnection, ids: Sequence[int]) -> None:
    """Announce changed to-dos; subscribers hear of them when the transaction commits."""
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        payload = ",".join(str(i) for i in ids)
        await conn.execute(
            text("SELECT pg_notify(:channel, :ids)"), {"channel": CHANNEL, "ids": payload}
        )
        return
    changed = tuple(ids)

    def tell_this_process() -> None:
        for fanout in list(_FANOUTS):
            fanout.deliver(changed)

    after_commit(conn, tell_this_process)


class PostgresListener:
    """One connection per process that LISTENs: to-do announcements feed the
    app's ``Fanout``; account announcements (database triggers, migration 0005)
    go to ``on_account``. ``on_connect`` runs whenever listening (re)starts,
    since announcements may have been missed while it was away."""

    def __init__(
        self,
        url: URL,
        fanout: Fanout,
        on_account: Callable[[str], None] | None = None,
        on_connect: Callable[[], None] | None = None,
        on_disconnect: Callable[[], None] | None = None,
        on_policy: Callable[[str], None] | None = None,
    ) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.fanout = fanout
        self.on_account = on_account
        self.on_connect = on_connect
        self.on_disconnect = on_disconnect
        self.on_policy = on_policy
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _heard(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            ids = [int(i) for i in payload.split(",") if i]
        except ValueError:
            log.warning("ignored a malformed announcement on %s", CHANNEL)
            return
        self.fanout.deliver(ids)

    def _account_changed(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if self.on_account is not None:
            self.on_account(payload)

    def _policy_changed(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if self.on_policy is not None:
            self.on_policy(payload)

    async def _run(self) -> None:
        """Listen; after a lost connection, listen again a second later."""
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(self.dsn)
                await connection.add_listener(CHANNEL, self._heard)
                await connection.add_listener(ACCOUNTS_CHANNEL, self._account_changed)
                await connection.add_listener(POLICY_CHANNEL, self._policy_changed)
                if self.on_connect is not None:
                    self.on_connect()
                if self.on_policy is not None:  # a change may have come while not listening
                    self.on_policy("")
                self.listening.set()
                while not connection.is_closed():
                    await asyncio.sleep(1)
                log.warning("the live-update connection closed; listening again")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: try again shortly
                log.warning("live updates unavailable: %s", exc)
            finally:
                self.listening.clear()
                if self.on_disconnect is not None:
                    self.on_disconnect()
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(connection.close())
            await asyncio.sleep(1)
