"""A WebSocket client that talks ASGI to the app directly (no network, no threads)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette


class Socket:
    def __init__(self, app: Starlette, token: str | None) -> None:
        headers = [(b"host", b"propgraph.test")]
        if token:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        self.scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("propgraph.test", 80),
            "subprotocols": ["graphql-transport-ws"],
            "state": {},
        }
        self.app = app
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def _receive(self) -> dict[str, Any]:
        return await self.inbox.get()

    async def _send(self, message: dict[str, Any]) -> None:
        await self.outbox.put(message)

    async def next(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next ASGI message the server sent."""
        async with asyncio.timeout(timeout):
            return await self.outbox.get()

    async def send_json(self, value: dict[str, Any]) -> None:
        await self.inbox.put({"type": "websocket.receive", "text": json.dumps(value)})

    async def receive_json(self, timeout: float = 5.0) -> dict[str, Any]:
        message = await self.next(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def open(self) -> dict[str, Any]:
        """Connect and, when accepted, say ``connection_init``; the server's answer."""
        self.task = asyncio.create_task(self.app(self.scope, self._receive, self._send))
        await self.inbox.put({"type": "websocket.connect"})
        first = await self.next()
        if first["type"] != "websocket.accept":
            return first
        await self.send_json({"type": "connection_init"})
        return await self.receive_json()

    async def close(self) -> None:
        await self.inbox.put({"type": "websocket.disconnect", "code": 1000})
        if self.task is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await self.task


@contextlib.asynccontextmanager
async def socket(app: Starlette, token: str | None) -> AsyncIterator[Socket]:
    ws = Socket(app, token)
    try:
        yield ws
    finally:
        await ws.close()
