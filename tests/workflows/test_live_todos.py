"""Live to-dos: todoChanged over graphql-transport-ws, from any process (issue 9.4)."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.app import RunningApp, running_app, token_for
from tests.support.databases import SERVER_URL
from tests.support.subsidy import Flow, cast_for, in_window_clock
from tests.support.websocket import Socket, socket
from tests.workflows.conftest import Subsidy

TODO_CHANGED = "subscription { todoChanged { todo { id kind status title } } }"


async def _subscribe_in_browser_style(ws: Socket, username: str) -> None:
    """No Authorization header: the token travels in connection_init, as browsers send it."""
    ws.task = asyncio.create_task(ws.app(ws.scope, ws._receive, ws._send))
    await ws.inbox.put({"type": "websocket.connect"})
    assert (await ws.next())["type"] == "websocket.accept"
    await ws.send_json(
        {"type": "connection_init", "payload": {"Authorization": f"Bearer {token_for(username)}"}}
    )
    assert (await ws.receive_json())["type"] == "connection_ack"
    await ws.send_json({"id": "t", "type": "subscribe", "payload": {"query": TODO_CHANGED}})
    await asyncio.sleep(0.2)  # the subscription is listening


async def _submitted(flow: Flow) -> None:
    round_id = await flow.open_round()
    application = await flow.create(round_id)
    await flow.submit(application)


async def test_a_submission_reaches_the_communitys_open_socket(subsidy: Subsidy) -> None:
    cast = subsidy.cast
    async with socket(subsidy.app.app, None) as mine, socket(subsidy.app.app, None) as other:
        # given the project's community and another community, subscribed from a browser
        await _subscribe_in_browser_style(mine, cast.community[0])
        await _subscribe_in_browser_style(other, cast.other_community)
        # when the manager submits an application (a to-do opens for the community)
        await _submitted(subsidy.flow)
        # then the community hears of its new to-do, and the other community of nothing
        message = await mine.receive_json(timeout=5)
        assert message["type"] == "next", message
        todo = message["payload"]["data"]["todoChanged"]["todo"]
        assert todo["status"] == "PENDING" and todo["id"]
        with pytest.raises(TimeoutError):
            await other.receive_json(timeout=0.5)


async def test_a_bad_token_in_connection_init_closes_with_4401(subsidy: Subsidy) -> None:
    async with socket(subsidy.app.app, None) as ws:
        ws.task = asyncio.create_task(ws.app(ws.scope, ws._receive, ws._send))
        await ws.inbox.put({"type": "websocket.connect"})
        assert (await ws.next())["type"] == "websocket.accept"
        await ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})
        closed = await ws.next()
        assert closed["type"] == "websocket.close" and closed["code"] == 4401


@pytest.mark.skipif(SERVER_URL is None, reason="two processes share a database only on PostgreSQL")
async def test_a_change_made_through_another_process_reaches_subscribers(
    fresh_tiny_url: str,
) -> None:
    # given two gateways on one PostgreSQL database, each with its own listener
    clock = in_window_clock()
    async with (
        running_app(fresh_tiny_url, clock=clock) as first,
        running_app(fresh_tiny_url, clock=clock) as second,
    ):
        await _wait_listening(first)
        await _wait_listening(second)
        cast = await cast_for(second)
        async with socket(first.app, None) as ws:
            await _subscribe_in_browser_style(ws, cast.community[0])
            # when the manager submits through the second gateway
            await _submitted(Flow(second, cast))
            # then the subscriber on the first one hears of it (PostgreSQL NOTIFY)
            message = await ws.receive_json(timeout=5)
            assert message["payload"]["data"]["todoChanged"]["todo"]["status"] == "PENDING"


async def _wait_listening(app: RunningApp) -> None:
    listener = app.app.state.live_listener
    async with asyncio.timeout(5):
        await listener.listening.wait()
