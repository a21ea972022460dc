"""The GraphQL endpoint: authenticate, compile the viewer, route to the role's schema.

``strawberry.asgi.GraphQL`` has no per-request schema hook, so there is one
GraphQL app per role (``role_app.py``) behind this small ASGI dispatcher.

An HTTP request, in order, touching the database only at step 4:
1. the bearer token is checked (signature, expiry; no token: PUBLIC);
2. the client (account, or IP without a token) gets a slot among its
   requests in flight, else 429;
3. the body arrives whole, within its size and time limits, else 413/408;
4. the account is loaded fresh (a disabled one is refused at once) and the
   scope compiled, on the request's one connection, unless a viewer of this
   account is cached (``viewer_cache.py``); a pool with nothing free within
   2 s answers 503 with ``Retry-After``;
5. the role's app runs the operations: an already planned query is answered
   by its one statement (``resolvers/compiled/direct.py``, through the
   driver's pool when the request holds no connection yet), anything else
   takes the request's one connection first; the connection goes back to
   the pool before the answer is sent, so a slow reader holds none.

A WebSocket takes its token from the Authorization header or, as browsers
cannot set one, from the ``connection_init`` payload (``sockets.py``). It
takes a connection only per statement, and its account is checked again on
every message and every second: a disabled account, a
revoked or expired delegation, or a changed policy closes it with 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from propgraph.admission import (
    Admission,
    ClientGone,
    Refusal,
    body_limit,
    busy,
    client_key,
    header,
    read_body,
    replay,
    unauthorized,
)
from propgraph.authz.limits import limits_for
from propgraph.authz.permissions import PUBLIC
from propgraph.authz.viewer import Viewer, compile_viewer, load_account, public_viewer
from propgraph.authz.viewer_cache import ViewerCache
from propgraph.db import PoolExhausted, RequestDB
from propgraph.metrics import request_metrics
from propgraph.role_app import STATE_KEY, RequestState, RoleGraphQL
from propgraph.services import Services
from propgraph.sockets import open_for_init
from propgraph.tokens import TokenCodec, TokenError, VerifiedTokens

log = logging.getLogger("propgraph.gateway")
RECHECK_SECONDS = 1.0
REVOKED = 4401

__all__ = ["STATE_KEY", "GraphQLGateway", "RequestState", "RoleGraphQL"]


class Unauthorized(Exception):
    pass


def _bearer(value: str | None) -> str | None:
    """The token of an ``Authorization`` value; None for no value at all."""
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must be `Bearer <token>`.")
    return token.strip()


class GraphQLGateway:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.apps: dict[str, RoleGraphQL] = {}
        self._tokens: VerifiedTokens | None = None
        self.viewers = ViewerCache()  # active only while changes can be heard (app.py)
        settings = services.settings
        self.admission = Admission(
            settings.max_requests_per_client,
            settings.max_websockets_per_client,
            settings.max_anonymous_requests_per_ip,
        )

    def install(self, schemas: dict[str, Any]) -> None:
        """Serve these schemas; a role whose schema is unchanged keeps its app and caches."""
        apps = self.apps
        self.apps = {
            role: apps[role]
            if role in apps and apps[role].schema is schema
            else RoleGraphQL(schema, self.services)
            for role, schema in schemas.items()
        }

    @property
    def tokens(self) -> VerifiedTokens:
        if self._tokens is None:
            self._tokens = VerifiedTokens(TokenCodec.from_settings(self.services.settings))
        return self._tokens

    def _username(self, authorization: str | None) -> str | None:
        """The token's account name, None without a token; raises ``Unauthorized``."""
        token = _bearer(authorization)
        if token is None:
            return None
        try:
            return self.tokens.username(token)
        except TokenError as exc:
            raise Unauthorized(str(exc)) from exc

    async def _viewer(self, db: RequestDB, username: str | None, fresh: bool = False) -> Viewer:
        policies = self.services.policies
        if username is None:
            return public_viewer(policies[PUBLIC])
        today = self.services.today()
        if not fresh and self.viewers.active:
            await asyncio.sleep(0)  # an announcement already received is handled first
        cached = None if fresh else self.viewers.get(username, today)
        if cached is not None and policies.get(cached.role) is cached.policy:
            return cached
        generation = self.viewers.generation
        account = await load_account(db, username)
        if account is None or account.disabled:
            # Same answer for both: a token must not tell whether an account exists.
            raise Unauthorized("The account is unknown or disabled.")
        viewer = await compile_viewer(db, account, policies[account.role], today)
        self.viewers.put(username, today, viewer, generation)
        return viewer

    async def viewer_for(self, db: RequestDB, authorization: str | None) -> Viewer:
        """Who an ``Authorization`` value signs in, as on /graphql; raises ``Unauthorized``."""
        return await self._viewer(db, self._username(authorization))

    def _state(self, db: RequestDB, viewer: Viewer, body: bytes = b"") -> RequestState:
        limits = limits_for(viewer.role, self.services.settings.limits)
        return RequestState(db=db, viewer=viewer, limits=limits, body=body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        outcome = {"role": PUBLIC, "status": "ok"}
        try:
            if scope["type"] == "websocket":
                await self._websocket(scope, receive, send, outcome)
            else:
                await self._http(scope, receive, send, outcome)
        finally:
            elapsed = time.perf_counter() - started
            duration, requests = request_metrics(outcome["role"], outcome["status"])
            duration.observe(elapsed)
            requests.inc()
            log.info(
                "graphql request",
                extra={**outcome, "duration_ms": round(elapsed * 1000, 2)},
            )

    async def _http(
        self, scope: Scope, receive: Receive, send: Send, outcome: dict[str, str]
    ) -> None:
        try:
            username = self._username(header(scope, b"authorization"))
        except Unauthorized as exc:
            outcome["status"] = "unauthorized"
            await unauthorized(str(exc)).send(scope, receive, send)
            return
        key = client_key(scope, username)
        try:
            self.admission.enter(key)
        except Refusal as refusal:
            outcome["status"] = "throttled"
            await refusal.send(scope, receive, send)
            return
        try:
            await self._admitted(scope, receive, send, username, outcome)
        finally:
            self.admission.leave(key)

    async def _admitted(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        username: str | None,
        outcome: dict[str, str],
    ) -> None:
        settings = self.services.settings
        db = RequestDB(self.services.engine, driver=self.services.driver_pool)
        refusal: Refusal | None = None
        try:
            try:
                limit = body_limit(scope, settings.max_body_bytes, settings.upload_max_bytes)
                body = await read_body(
                    receive, limit, settings.body_timeout_seconds, header(scope, b"content-length")
                )
                viewer = await self._viewer(db, username)
            except ClientGone:
                outcome["status"] = "disconnected"
                log.info("client disconnected before its request arrived")
                return
            except Unauthorized as exc:
                outcome["status"], refusal = "unauthorized", unauthorized(str(exc))
            except PoolExhausted:
                refusal = busy("Every database connection is busy; try again shortly.")
                outcome["status"] = "busy"
            except Refusal as refused:
                outcome["status"], refusal = "refused", refused
            else:
                outcome["role"] = viewer.role
                scope.setdefault("state", {})[STATE_KEY] = self._state(db, viewer, body)

                async def send_released(message: Message) -> None:
                    if message["type"] == "http.response.start":
                        await db.close()  # before a slow reader gets the first byte
                    try:
                        await send(message)
                    except OSError:  # the client went away while we answered
                        outcome["status"] = "disconnected"
                        log.info("client disconnected before the answer was sent")

                try:
                    await self.apps[viewer.role](scope, replay(body, receive), send_released)
                except PoolExhausted:  # raised before anything was sent (role_app.py)
                    refusal = busy("Every database connection is busy; try again shortly.")
                    outcome["status"] = "busy"
        finally:
            await db.close()
        if refusal is not None:  # answered with no connection held
            await refusal.send(scope, receive, send)

    async def _websocket(
        self, scope: Scope, receive: Receive, send: Send, outcome: dict[str, str]
    ) -> None:
        db = RequestDB(self.services.engine, hold=False)
        authorization = header(scope, b"authorization")
        if authorization is None:  # a browser: the token comes in connection_init
            opened = await open_for_init(scope, receive, send)
            if opened is None:
                outcome["status"] = "disconnected"
                return
            authorization, receive, send = opened.authorization, opened.receive, opened.send
        try:
            username = self._username(authorization)
            key = client_key(scope, username)
            self.admission.enter(key, websocket=True)
        except Unauthorized as exc:
            outcome["status"] = "unauthorized"
            await send({"type": "websocket.close", "code": REVOKED, "reason": str(exc)})
            return
        except Refusal as refusal:
            outcome["status"] = "throttled"
            await send({"type": "websocket.close", "code": 1013, "reason": refusal.message})
            return
        try:
            viewer = await self._viewer(db, username)
        except (Unauthorized, PoolExhausted) as exc:
            self.admission.leave(key, websocket=True)
            outcome["status"] = "unauthorized" if isinstance(exc, Unauthorized) else "busy"
            code = REVOKED if isinstance(exc, Unauthorized) else 1013
            await send({"type": "websocket.close", "code": code, "reason": str(exc)})
            return
        outcome["role"] = viewer.role
        scope.setdefault("state", {})[STATE_KEY] = self._state(db, viewer)
        try:
            await self._watched(scope, receive, send, username, viewer, outcome)
        finally:
            self.admission.leave(key, websocket=True)

    async def _still_allowed(self, username: str | None, viewer: Viewer) -> bool:
        """Whether the socket's account would still get the same viewer now."""
        if username is None:
            return self.services.policies.get(PUBLIC) is viewer.policy
        try:
            fresh = await self._viewer(
                RequestDB(self.services.engine, hold=False), username, fresh=True
            )
        except Unauthorized:
            return False
        except PoolExhausted:
            return True  # cannot tell now; the next check will
        except Exception:  # a socket whose access cannot be checked is not kept open
            log.warning("could not re-check a WebSocket's account", exc_info=True)
            return False
        return fresh.policy is viewer.policy and fresh.scope == viewer.scope

    async def _watched(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        username: str | None,
        viewer: Viewer,
        outcome: dict[str, str],
    ) -> None:
        """Run the role's app on the socket, closing it (4401) once access is gone."""
        revoked = asyncio.Event()

        async def checked_receive() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive" and not await self._still_allowed(
                username, viewer
            ):
                revoked.set()
                return {"type": "websocket.disconnect", "code": REVOKED}
            return message

        async def watch() -> None:
            while not revoked.is_set():
                await asyncio.sleep(RECHECK_SECONDS)
                if not await self._still_allowed(username, viewer):
                    revoked.set()

        closed = False

        async def tracked_send(message: Message) -> None:
            nonlocal closed
            if closed:
                return
            if message["type"] == "websocket.close":
                closed = True
            await send(message)

        app = asyncio.create_task(self.apps[viewer.role](scope, checked_receive, tracked_send))
        watcher = asyncio.create_task(watch())
        gone = asyncio.create_task(revoked.wait())
        await asyncio.wait({app, gone}, return_when=asyncio.FIRST_COMPLETED)
        watcher.cancel()
        gone.cancel()
        if revoked.is_set():
            outcome["status"] = "revoked"
            app.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await app
            if not closed:
                closed = True
                reason = "The account's access has changed; sign in again."
                with contextlib.suppress(Exception):
                    await send({"type": "websocket.close", "code": REVOKED, "reason": reason})
        else:
            await app
