"""What a request must get past before it may touch the database.

- Its body arrives whole, within a size limit and a time limit, before the
  account is loaded: a slow or endless body holds no pooled connection.
- Each client (an account, or an IP address without a token) has a bounded
  number of requests in flight and WebSockets open in this process.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send


class Refusal(Exception):
    """An HTTP answer given before the request reaches GraphQL."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {
            "data": None,
            "errors": [{"message": self.message, "extensions": {"code": self.code}}],
        }
        return JSONResponse(body, self.status, self.headers)

    async def send(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.response()(scope, receive, send)


class ClientGone(Exception):
    """The client disconnected before its request arrived whole."""


def unauthorized(message: str) -> Refusal:
    return Refusal(
        401, "UNAUTHENTICATED", message, {"WWW-Authenticate": 'Bearer realm="propgraph"'}
    )


def not_found(message: str) -> Refusal:
    return Refusal(404, "NOT_FOUND", message)


def busy(message: str) -> Refusal:
    return Refusal(503, "SERVICE_UNAVAILABLE", message, {"Retry-After": "1"})


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def body_limit(scope: Scope, json_limit: int, upload_limit: int) -> int:
    content_type = (header(scope, b"content-type") or "").lower()
    if content_type.startswith("multipart/form-data"):
        return json_limit + upload_limit
    return json_limit


def _too_large(limit: int) -> Refusal:
    return Refusal(413, "PAYLOAD_TOO_LARGE", f"The request body is larger than {limit:,} bytes.")


async def read_body(receive: Receive, limit: int, timeout: float, declared: str | None) -> bytes:
    """The whole body, refusing one over ``limit`` bytes or slower than ``timeout`` seconds."""
    if declared is not None:
        if not declared.isdigit():
            raise Refusal(400, "BAD_REQUEST", "Content-Length is not a number.")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError:
        raise Refusal(
            408, "REQUEST_TIMEOUT", f"The request body did not arrive within {timeout:g} s."
        ) from None


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the body already read, then the original one."""
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again


def client_key(scope: Scope, username: str | None) -> str:
    if username is not None:
        return f"account:{username}"
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


@dataclass
class Admission:
    """Requests in flight and WebSockets open, per client, in this process."""

    max_requests: int
    max_websockets: int
    # Without a token the client is an IP address, which many people may share
    # (a NAT, an office proxy): it gets more room than one account.
    max_anonymous_requests: int = 32

    def __post_init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.websockets: Counter[str] = Counter()

    def enter(self, key: str, websocket: bool = False) -> None:
        if websocket:
            counter, limit = self.websockets, self.max_websockets
        elif key.startswith("ip:"):
            counter, limit = self.requests, self.max_anonymous_requests
        else:
            counter, limit = self.requests, self.max_requests
        if counter[key] >= limit:
            what = "WebSockets open" if websocket else "requests in flight"
            raise Refusal(
                429,
                "TOO_MANY_REQUESTS",
                f"At most {limit} {what} per client; wait for one to finish.",
                {"Retry-After": "1"},
            )
        counter[key] += 1

    def leave(self, key: str, websocket: bool = False) -> None:
        counter = self.websockets if websocket else self.requests
        counter[key] -= 1
        if counter[key] <= 0:
            del counter[key]
