"""The token of a WebSocket that has no Authorization header: in ``connection_init``.

Browsers cannot set headers on a WebSocket, so graphql-transport-ws clients
send ``{"type": "connection_init", "payload": {"Authorization": "Bearer …"}}``.
The role (and so the schema) must be known before Strawberry sees the
socket: the gateway accepts the socket itself, reads that first message,
and then replays both to the role's app.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from starlette.types import Message, Receive, Scope, Send

PROTOCOLS = ("graphql-transport-ws", "graphql-ws")
INIT_TIMEOUT_SECONDS = 10.0


@dataclass
class Opened:
    """A socket accepted by the gateway: its bearer token (if any) and the replaying channel."""

    authorization: str | None
    receive: Receive
    send: Send


def _authorization(message: Message) -> str | None:
    try:
        init = json.loads(message.get("text") or message.get("bytes") or b"")
    except (ValueError, RecursionError):
        return None
    payload = init.get("payload") if isinstance(init, dict) else None
    if not isinstance(payload, dict):
        return None
    value = payload.get("Authorization", payload.get("authorization"))
    return value if isinstance(value, str) else None


async def open_for_init(scope: Scope, receive: Receive, send: Send) -> Opened | None:
    """Accept, read ``connection_init``; None when the client went away or never said it."""
    subprotocol = next((p for p in scope.get("subprotocols", []) if p in PROTOCOLS), None)
    connect = await receive()
    if connect["type"] != "websocket.connect":
        return None
    await send({"type": "websocket.accept", "subprotocol": subprotocol})
    try:
        async with asyncio.timeout(INIT_TIMEOUT_SECONDS):
            first = await receive()
    except TimeoutError:
        await send({"type": "websocket.close", "code": 4408, "reason": "Connection init timeout"})
        return None
    if first["type"] != "websocket.receive":
        return None
    replayed = [connect, first]

    async def receive_again() -> Message:
        return replayed.pop(0) if replayed else await receive()

    accepted = False

    async def send_once_accepted(message: Message) -> None:
        nonlocal accepted
        if message["type"] == "websocket.accept" and not accepted:
            accepted = True  # the gateway has accepted the socket already
            return
        await send(message)

    return Opened(_authorization(first), receive_again, send_once_accepted)
