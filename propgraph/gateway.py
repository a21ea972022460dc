"""The GraphQL endpoint: authenticate, compile the viewer, route to the role's schema.

``strawberry.asgi.GraphQL`` has no per-request schema hook, so there is one
GraphQL app per role behind this small ASGI dispatcher. It reads the bearer
token, loads the account (fresh, so a disabled account is refused at once),
compiles the scope, and hands the request to the app of the account's role.
No token: the PUBLIC schema. A bad token: 401, never a fall-back to PUBLIC.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from propgraph.authz.permissions import PUBLIC
from propgraph.authz.viewer import Viewer, compile_viewer, load_account, public_viewer
from propgraph.db import RequestDB
from propgraph.metrics import GRAPHQL_REQUEST_DURATION, GRAPHQL_REQUESTS
from propgraph.playground import render_playground
from propgraph.schema.context import Context
from propgraph.services import Services
from propgraph.tokens import TokenCodec, TokenError

log = logging.getLogger("propgraph.gateway")
STATE_KEY = "propgraph"


@dataclass(frozen=True)
class RequestState:
    db: RequestDB
    viewer: Viewer


class RoleGraphQL(GraphQL):  # type: ignore[type-arg]
    """Strawberry's ASGI app for one role; the context comes from the dispatcher."""

    def __init__(self, schema: Any, services: Services) -> None:
        super().__init__(schema, graphql_ide="graphiql", multipart_uploads_enabled=True)
        self.services = services

    async def render_graphql_ide(self, request: Request) -> Response:
        # Strawberry's own page loads GraphiQL from a CDN; ours is bundled and served offline.
        accounts = self.services.extras.get("demo_accounts", [])
        return HTMLResponse(render_playground(request.url.path, accounts))

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        state: RequestState = request.scope["state"][STATE_KEY]
        return Context(
            request=request,
            response=response,
            db=state.db,
            viewer=state.viewer,
            services=self.services,
        )


class Unauthorized(Exception):
    pass


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthorized("The Authorization header must be `Bearer <token>`.")
            return token.strip()
    return None


def unauthorized_response(message: str) -> Response:
    body = {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}],
    }
    return Response(
        json.dumps(body),
        status_code=401,
        media_type="application/json",
        headers={"WWW-Authenticate": 'Bearer realm="propgraph"'},
    )


class GraphQLGateway:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.apps: dict[str, RoleGraphQL] = {}
        self._codec: TokenCodec | None = None

    def install(self, schemas: dict[str, Any]) -> None:
        self.apps = {role: RoleGraphQL(schema, self.services) for role, schema in schemas.items()}

    @property
    def codec(self) -> TokenCodec:
        if self._codec is None:
            self._codec = TokenCodec.from_settings(self.services.settings)
        return self._codec

    async def _viewer(self, db: RequestDB, token: str | None) -> Viewer:
        policies = self.services.policies
        if token is None:
            return public_viewer(policies[PUBLIC])
        try:
            username = self.codec.verify(token)
        except TokenError as exc:
            raise Unauthorized(str(exc)) from exc
        account = await load_account(db, username)
        if account is None or account.disabled:
            # Same answer for both: a token must not tell whether an account exists.
            raise Unauthorized("The account is unknown or disabled.")
        return await compile_viewer(db, account, policies[account.role], self.services.today())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        db = RequestDB(self.services.engine)
        started = time.perf_counter()
        role = PUBLIC
        status = "ok"
        try:
            try:
                viewer = await self._viewer(db, _bearer(scope))
            except Unauthorized as exc:
                status = "unauthorized"
                if scope["type"] == "websocket":
                    await WebSocket(scope, receive, send).close(code=4401, reason=str(exc))
                else:
                    await unauthorized_response(str(exc))(scope, receive, send)
                return
            role = viewer.role
            scope.setdefault("state", {})[STATE_KEY] = RequestState(db=db, viewer=viewer)
            await self.apps[role](scope, receive, send)
        finally:
            await db.close()
            elapsed = time.perf_counter() - started
            GRAPHQL_REQUEST_DURATION.labels(role).observe(elapsed)
            GRAPHQL_REQUESTS.labels(role, status).inc()
            log.info(
                "graphql request",
                extra={"role": role, "status": status, "duration_ms": round(elapsed * 1000, 2)},
            )
