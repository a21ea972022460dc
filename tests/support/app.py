"""An in-process app and GraphQL clients for tests (no network at all)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from propgraph.app import create_app
from propgraph.db import create_engine
from propgraph.metrics import SQL_STATEMENTS
from propgraph.services import Services
from propgraph.settings import Settings
from propgraph.tokens import TokenCodec

TEST_SECRET = "test-secret-not-for-production-0123456789"


def settings_for(database_url: str, **overrides: Any) -> Settings:
    overrides.setdefault("outbox_interval_seconds", 0)  # tests deliver the outbox themselves
    overrides.setdefault("jwt_secret", TEST_SECRET)
    return Settings(database_url=database_url, log_json=False, **overrides)


def token_for(username: str, ttl: int = 3600, now: float | None = None) -> str:
    return TokenCodec("HS256", TEST_SECRET, TEST_SECRET, "propgraph").issue(username, ttl, now)


def statements_sent() -> float:
    return SQL_STATEMENTS._value.get()  # the counter behind propgraph_sql_statements_total


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def _headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self._headers()
        )

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body (data and errors)."""
        return (await self.post(query, variables)).json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data, asserting there were no errors."""
        body = await self.execute(query, variables)
        assert not body.get("errors"), body.get("errors")
        return body["data"]


@dataclass
class RunningApp:
    app: Starlette
    services: Services
    http: httpx.AsyncClient

    def client(self, username: str | None = None, token: str | None = None) -> GraphQLClient:
        if username is not None:
            token = token_for(username)
        return GraphQLClient(self.http, token)


@asynccontextmanager
async def running_app(
    database_url: str,
    clock: Callable[[], datetime] | None = None,
    engine: AsyncEngine | None = None,
    **settings: Any,
) -> AsyncIterator[RunningApp]:
    config = settings_for(database_url, **settings)
    services = Services(settings=config, engine=engine or create_engine(database_url))
    if clock is not None:
        services.clock = clock
    app = create_app(config, services)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://propgraph.test") as http:
            yield RunningApp(app, services, http)
