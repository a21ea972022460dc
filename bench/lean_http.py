"""A lean HTTP/1.1 keep-alive client for the benchmark: one request in flight per
connection, the request's bytes built once, the answer parsed by httptools (the
C parser uvicorn itself uses). Its CPU per request is about what asyncpg's is on
the SQL side, so the gateway's figures are not the client's: aiohttp costs
0.2-0.6 ms more per request on this machine (``--client aiohttp`` measures it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httptools


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: Any = None
        self.parser = httptools.HttpResponseParser(self)
        self.answer: asyncio.Future[tuple[int, bytes]] | None = None
        self.chunks: list[bytes] = []
        self.lost: BaseException | None = None

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # uvloop's is no asyncio.Transport subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc or ConnectionResetError("the server closed the connection")
        self._fail(self.lost)

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        body, self.chunks = b"".join(self.chunks), []
        if self.answer is not None and not self.answer.done():
            self.answer.set_result((self.parser.get_status_code(), body))

    def _fail(self, exc: BaseException) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(exc)

    async def send(self, request: bytes) -> tuple[int, bytes]:
        if self.lost is not None or self.transport is None:
            raise ConnectionResetError("the connection is closed")
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.answer


class LeanClient:
    """``concurrency`` keep-alive connections to one server; each caller takes one."""

    def __init__(self, base_url: str, concurrency: int) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.concurrency = concurrency
        self._idle: asyncio.LifoQueue[_Connection] | None = None
        self._all: list[_Connection] = []

    async def _open(self) -> _Connection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(_Connection, self.host, self.port)
        self._all.append(connection)
        return connection

    async def _pool(self) -> asyncio.LifoQueue[_Connection]:
        if self._idle is None:
            self._idle = asyncio.LifoQueue()
            for _ in range(self.concurrency):
                self._idle.put_nowait(await self._open())
        return self._idle

    def request(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> bytes:
        """The bytes of one request, to be sent as often as wanted."""
        lines = [f"{method} {path} HTTP/1.1", f"host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        lines.append(f"content-length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """(status, body) of one request on an idle connection (a new one if it broke)."""
        idle = await self._pool()
        connection = await idle.get()
        try:
            if connection.lost is not None:
                connection = await self._open()
            return await connection.send(request)
        finally:
            idle.put_nowait(connection)

    async def close(self) -> None:
        for connection in self._all:
            if connection.transport is not None:
                connection.transport.close()
        self._all.clear()
        self._idle = None
