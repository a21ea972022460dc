"""The benchmark's lean HTTP client reads what a server writes: status, body in
one or many writes, chunked bodies, several requests on one connection, and a
connection the server closed is replaced."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
import uvloop

from bench.lean_http import LeanClient


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_answers_keep_alive_chunked_and_a_closed_connection(loop: str) -> None:
    if loop == "uvloop":
        uvloop.run(_exchange())
    else:
        asyncio.run(_exchange())


async def _exchange() -> None:
    seen: list[bytes] = []
    connections = 0
    writers: list[asyncio.StreamWriter] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writers.append(writer)
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            body = await reader.readexactly(length)
            seen.append(body)
            if body == b"chunked":
                writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                writer.write(b"3\r\nabc\r\n")
                await writer.drain()
                writer.write(b"2\r\nde\r\n0\r\n\r\n")
            elif body == b"close":
                writer.write(
                    b"HTTP/1.1 503 Busy\r\ncontent-length: 4\r\nconnection: close\r\n\r\nbusy"
                )
                await writer.drain()
                break
            else:
                answer = b'{"data":' + body + b"}"
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(answer))
                writer.write(answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = LeanClient(f"http://127.0.0.1:{port}", 1)
    try:
        request = client.request("POST", "/graphql", b"1", {"content-type": "application/json"})
        assert await client.send(request) == (200, b'{"data":1}')
        assert await client.send(request) == (200, b'{"data":1}')
        assert await client.send(client.request("POST", "/", b"chunked")) == (200, b"abcde")
        assert await client.send(client.request("POST", "/", b"close")) == (503, b"busy")
        await asyncio.sleep(0.05)  # the server's close arrives
        assert await client.send(request) == (200, b'{"data":1}')
        assert connections == 2
        assert seen == [b"1", b"1", b"chunked", b"close", b"1"]
    finally:
        await client.close()
        for writer in writers:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
        server.close()
        await server.wait_closed()
