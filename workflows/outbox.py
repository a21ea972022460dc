"""The notification outbox: rows written with the change, delivered afterwards.

Writing the notification in the same transaction as the change means a
rolled-back change sends nothing, and a committed one is never lost. A
sender (``LoggingSender`` by default) delivers rows with retries; several
gateway processes may run delivery at once, each row is claimed first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from propgraph.models import Account, Channel, Notification, Role

log = logging.getLogger("propgraph.outbox")

MAX_ATTEMPTS = 5
CLAIM_SECONDS = 60  # a claimed row is retried if its sender died mid-way


class Sender(Protocol):
    async def send(self, notification: Any) -> None:
        """Deliver one notification or raise."""


class LoggingSender:
    """The default sender: writes each message to the log."""

    async def send(self, notification: Any) -> None:
        log.info(
            "notification %s via %s to %s: %s",
            notification.id,
            notification.channel,
            notification.recipient_phone or f"account {notification.recipient_account_id}",
            notification.text,
        )


async def office_accounts(
    conn: AsyncConnection, role: Role, scope_column: str, scope_id: int
) -> Sequence[Any]:
    """The enabled accounts (``id``, ``phone``) of one office, or of a project's managers."""
    rows = await conn.execute(
        select(Account.id, Account.phone)
        .where(
            Account.role == role,
            getattr(Account, scope_column) == scope_id,
            Account.disabled.is_(False),
        )
        .order_by(Account.id)
    )
    return rows.all()


async def enqueue(
    conn: AsyncConnection,
    *,
    channel: Channel,
    template: str,
    text: str,
    payload: dict[str, Any],
    now: datetime,
    account_ids: Iterable[int] = (),
    phone: str | None = None,
    subject: tuple[str, int] | None = None,
) -> None:
    rows: list[dict[str, int | str]] = [
        {"recipient_account_id": account_id} for account_id in account_ids
    ]
    if phone:
        rows.append({"recipient_phone": phone})
    if not rows:
        return
    common = {
        "channel": channel,
        "template": template,
        "text": text,
        "payload": payload,
        "created_at": now,
        "attempts": 0,
        "subject_type": subject[0] if subject else None,
        "subject_id": subject[1] if subject else None,
    }
    await conn.execute(
        insert(Notification),
        [{"recipient_account_id": None, "recipient_phone": None, **common, **row} for row in rows],
    )


def _due(now: datetime) -> Any:
    return and_(
        Notification.sent_at.is_(None),
        Notification.attempts < MAX_ATTEMPTS,
        or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
    )


async def deliver_pending(
    engine: AsyncEngine, sender: Sender, now: datetime, limit: int = 100
) -> int:
    """Send what is due; returns how many were sent."""
    async with engine.connect() as conn:
        candidates = (
            await conn.execute(
                select(Notification).where(_due(now)).order_by(Notification.id).limit(limit)
            )
        ).all()
    sent = 0
    for row in candidates:
        async with engine.begin() as conn:
            claimed = await conn.execute(
                update(Notification)
                .where(Notification.id == row.id, _due(now))
                .values(
                    attempts=Notification.attempts + 1,
                    next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
                )
            )
        if claimed.rowcount != 1:
            continue  # another process took it
        try:
            await sender.send(row)
        except Exception as exc:
            backoff = timedelta(seconds=30 * 2**row.attempts)
            async with engine.begin() as conn:
                await conn.execute(
                    update(Notification)
                    .where(Notification.id == row.id)
                    .values(next_attempt_at=now + backoff, last_error=str(exc)[:500])
                )
            log.warning(
                "notification %s not delivered (attempt %s): %s", row.id, row.attempts + 1, exc
            )
            continue
        async with engine.begin() as conn:
            await conn.execute(
                update(Notification)
                .where(Notification.id == row.id)
                .values(sent_at=now, last_error=None)
            )
        sent += 1
    return sent


class OutboxWorker:
    """Delivers the outbox in the background of a gateway process."""

    def __init__(self, engine: AsyncEngine, sender: Sender, clock: Any, interval: float) -> None:
        self.engine = engine
        self.sender = sender
        self.clock = clock
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def _loop(self) -> None:
        while True:
            try:
                await deliver_pending(self.engine, self.sender, self.clock())
            except Exception:
                log.exception("outbox delivery failed")
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
