"""Issue 7: revocation reaches open WebSockets, and idle sockets hold no connection."""

from __future__ import annotations

import asyncio
import copy
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from propgraph.models import Account, Delegation
from tests.support.app import RunningApp, running_app, token_for
from tests.support.websocket import socket

QUERY = {"query": "{ me { username } }"}


async def _subscribe(ws: object, op_id: str = "1") -> dict:
    await ws.send_json({"id": op_id, "type": "subscribe", "payload": QUERY})  # type: ignore[attr-defined]
    return await ws.receive_json()  # type: ignore[attr-defined]


async def _disable(app: RunningApp, username: str) -> None:
    async with app.services.engine.begin() as conn:
        await conn.execute(
            update(Account).where(Account.username == username).values(disabled=True)
        )


async def _active_delegate(app: RunningApp) -> tuple[str, int]:
    async with app.services.engine.connect() as conn:
        row = (
            await conn.execute(
                select(Account.username, Delegation.id)
                .join(Delegation, Delegation.id == Account.delegation_id)
                .where(Delegation.revoked_at.is_(None), Account.disabled.is_(False))
                .limit(1)
            )
        ).one()
    return row.username, row.id


async def _closed(ws: object, timeout: float = 2.5) -> dict:
    """The close message, skipping what the server still sent before it."""
    while True:
        message = await ws.next(timeout=timeout)  # type: ignore[attr-defined]
        if message["type"] == "websocket.close":
            return message


@pytest.fixture
async def fresh(fresh_tiny_url: str):  # type: ignore[no-untyped-def]
    async with running_app(fresh_tiny_url) as app:
        yield app


async def test_a_socket_answers_and_holds_no_connection_while_idle(fresh: RunningApp) -> None:
    async with socket(fresh.app, token_for("city_head")) as ws:
        assert (await ws.open())["type"] == "connection_ack"
        answer = await _subscribe(ws)
        assert answer["payload"]["data"]["me"]["username"] == "city_head"
        await asyncio.sleep(0.05)
        assert fresh.services.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_disabled_account_is_closed_on_its_next_message(
    fresh: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("propgraph.gateway.RECHECK_SECONDS", 60)  # only the message check
    async with socket(fresh.app, token_for("city_head")) as ws:
        assert (await ws.open())["type"] == "connection_ack"
        # when the account is disabled while the socket is open
        await _disable(fresh, "city_head")
        await ws.send_json({"id": "2", "type": "subscribe", "payload": QUERY})
        # then its next message closes the socket with 4401 and gets no data
        message = await ws.next()
        assert message == {
            "type": "websocket.close",
            "code": 4401,
            "reason": "The account's access has changed; sign in again.",
        }


async def test_an_idle_socket_is_closed_within_a_second(fresh: RunningApp) -> None:
    async with socket(fresh.app, token_for("city_head")) as ws:
        assert (await ws.open())["type"] == "connection_ack"
        await _disable(fresh, "city_head")
        message = await _closed(ws)
        assert message["code"] == 4401


async def test_a_revoked_delegation_closes_the_delegates_socket(fresh: RunningApp) -> None:
    username, delegation_id = await _active_delegate(fresh)
    async with socket(fresh.app, token_for(username)) as ws:
        assert (await ws.open())["type"] == "connection_ack"
        assert (await _subscribe(ws))["payload"]["data"]["me"]["username"] == username
        async with fresh.services.engine.begin() as conn:
            await conn.execute(
                update(Delegation)
                .where(Delegation.id == delegation_id)
                .values(revoked_at=datetime.now(UTC))
            )
        message = await _closed(ws)
        assert message["code"] == 4401


async def test_a_changed_policy_closes_sockets(fresh: RunningApp) -> None:
    async with socket(fresh.app, token_for("city_head")) as ws:
        assert (await ws.open())["type"] == "connection_ack"
        # a policy rebuilt in this process (issue 12 edits it through the API)
        policies = dict(fresh.services.policies)
        policies["CITY"] = copy.copy(policies["CITY"])
        fresh.services.policies = policies
        message = await _closed(ws)
        assert message["code"] == 4401


async def test_a_bad_token_is_closed_with_4401(fresh: RunningApp) -> None:
    async with socket(fresh.app, "not-a-token") as ws:
        message = await ws.open()
        assert message["type"] == "websocket.close" and message["code"] == 4401


async def test_one_client_has_a_bounded_number_of_sockets(fresh_tiny_url: str) -> None:
    async with running_app(fresh_tiny_url, max_websockets_per_client=2) as app:
        token = token_for("city_head")
        async with socket(app.app, token) as a, socket(app.app, token) as b:
            assert (await a.open())["type"] == "connection_ack"
            assert (await b.open())["type"] == "connection_ack"
            async with socket(app.app, token) as c:
                refused = await c.open()
                assert refused["type"] == "websocket.close" and refused["code"] == 1013
