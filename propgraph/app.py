"""The app factory: Starlette with the GraphQL gateway and the service endpoints."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from propgraph.authz.policy import load_enforcer
from propgraph.clock import pinned_clock, system_clock
from propgraph.db import DriverPool, create_engine, server_settings
from propgraph.evidence import download as download_evidence
from propgraph.exports import exports_endpoint
from propgraph.gateway import GraphQLGateway
from propgraph.live import Fanout, PostgresListener
from propgraph.migrate import ensure_current
from propgraph.playground import ASSETS_PATH, assets_app, render_dashboard, render_playground
from propgraph.policies import LivePolicy
from propgraph.schema.build import build_role_schemas_cached
from propgraph.services import Services
from propgraph.settings import Settings, get_settings
from propgraph.share_export import share_export_endpoint
from propgraph.workflows.outbox import LoggingSender, OutboxWorker


async def start(services: Services, gateway: GraphQLGateway) -> None:
    """Refuse an outdated database, load the policy, build the role schemas."""
    await ensure_current(services.engine)
    enforcer = await load_enforcer(services.engine)
    services.policies, services.schemas = build_role_schemas_cached(enforcer)
    gateway.install(services.schemas)


def pool_health(engine: AsyncEngine) -> dict[str, Any]:
    """Connections in use and how many the pool may open; saturated when all are taken."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):  # NullPool, StaticPool: nothing to exhaust
        return {"kind": type(pool).__name__}
    capacity = pool.size() + max(pool._max_overflow, 0)
    in_use = pool.checkedout()
    return {"in_use": in_use, "capacity": capacity, "saturated": in_use >= capacity}


class PropgraphApp(Starlette):
    """Starlette, with ``/graphql`` (nearly every request) handed to the gateway before
    the router looks at the other routes: the same error page and request id, less work."""

    graphql: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.graphql is not None and scope["type"] != "lifespan" and scope["path"] == "/graphql":
            scope["app"] = self
            await self.graphql(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    services: Services | None = None,
    demo_accounts: list[dict[str, str]] | None = None,
) -> PropgraphApp:
    settings = settings or get_settings()
    services = services or Services(
        settings=settings,
        engine=create_engine(
            settings.database_url, statement_timeout=settings.operation_timeout_seconds
        ),
    )
    if settings.today is not None and services.clock is system_clock:
        services.clock = pinned_clock(settings.today)
        logging.getLogger("propgraph").warning(
            "PROPGRAPH_TODAY is set: every time rule reads %s as today", settings.today
        )
    services.extras["demo_accounts"] = demo_accounts or []  # GET /graphql shows them too
    gateway = GraphQLGateway(services)
    live_policy = services.extras["policy"] = LivePolicy(services, gateway)
    services.extras["viewers"] = gateway.viewers  # a mutation drops what it changes at once
    sender = services.extras.setdefault("sender", LoggingSender())
    outbox = OutboxWorker(services.engine, sender, services.clock, settings.outbox_interval_seconds)

    fanout = services.extras.setdefault("live", Fanout())
    listener = (
        PostgresListener(
            services.engine.url,
            fanout,
            on_account=gateway.viewers.changed,
            on_connect=gateway.viewers.connected,
            on_disconnect=gateway.viewers.disconnected,
            on_policy=live_policy.changed,
        )
        if services.engine.dialect.name == "postgresql"
        else None
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await start(services, gateway)
        if settings.compiled_reads and services.engine.dialect.name == "postgresql":
            services.driver_pool = DriverPool(
                services.engine.url, server_settings(settings.operation_timeout_seconds)
            )
            await services.driver_pool.open()
        if listener is not None:  # to-dos changed by any process reach this one's subscribers
            listener.start()
        # Schemas, policies and imports live as long as the process: move them out
        # of the collector's sight, so each collection walks only request garbage.
        gc.collect()
        gc.freeze()
        outbox.start()
        yield
        await outbox.stop()
        if listener is not None:
            await listener.stop()
        await live_policy.stop()
        if services.driver_pool is not None:
            await services.driver_pool.close()
            services.driver_pool = None
        await services.engine.dispose()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        pool = pool_health(services.engine)
        if pool.get("saturated"):
            body = {"status": "unavailable", "database": "ok", "pool": pool}
            return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})
        try:
            async with services.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable", "pool": pool},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "database": "ok", "pool": pool})

    async def metrics(request: Request) -> Response:
        registry: Any = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several worker processes
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    async def playground(request: Request) -> Response:
        return HTMLResponse(render_playground("/graphql", demo_accounts or []))

    async def dashboard(request: Request) -> Response:
        return HTMLResponse(render_dashboard("/graphql", demo_accounts or []))

    app = PropgraphApp(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/playground", playground),
            Route("/dashboard", dashboard),
            Route("/exports/repair-projects/{id}/shares.xlsx", share_export_endpoint(gateway)),
            Route("/exports/{table}.{format}", exports_endpoint(gateway)),
            Mount(ASSETS_PATH, app=assets_app()),
            Route("/evidence/{id}", download_evidence),
        ],
        middleware=[Middleware(CorrelationIdMiddleware)],
        lifespan=lifespan,
    )
    # /graphql (HTTP and WebSocket) is served before the router (PropgraphApp).
    app.graphql = ServerErrorMiddleware(CorrelationIdMiddleware(gateway))
    app.state.services = services
    app.state.gateway = gateway
    app.state.live_listener = listener
    return app


def serve_app() -> Starlette:
    """The factory `propgraph serve` gives uvicorn: each worker process sets up its own logs."""
    from propgraph.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json, settings.access_log)
    return create_app(settings)
