"""/healthz, /readyz, /metrics, the playground, and request ids."""

from __future__ import annotations

import httpx

from propgraph.app import create_app
from propgraph.db import create_engine
from propgraph.services import Services
from tests.support.app import RunningApp, settings_for


async def test_healthz(tiny: RunningApp) -> None:
    response = await tiny.http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz_pings_the_database(tiny: RunningApp) -> None:
    response = await tiny.http.get("/readyz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


async def test_readyz_reports_an_unreachable_database() -> None:
    url = "postgresql://nobody@127.0.0.1:9/nowhere"  # the discard port: nothing listens
    settings = settings_for(url)
    app = create_app(
        settings, Services(settings=settings, engine=create_engine(url, pool_pre_ping=False))
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        response = await http.get("/readyz")
    assert response.status_code == 503
    assert "Traceback" not in response.text


async def test_metrics_count_statements_and_time_requests(tiny: RunningApp) -> None:
    await tiny.client("city_head").data("{ me { username } }")
    text = (await tiny.http.get("/metrics")).text
    assert "propgraph_sql_statements_total" in text
    assert 'propgraph_graphql_request_duration_seconds_bucket{le="0.005",role="CITY"}' in text
    assert 'propgraph_graphql_requests_total{role="CITY",status="ok"}' in text


async def test_every_response_carries_a_request_id(tiny: RunningApp) -> None:
    response = await tiny.http.get("/healthz")
    assert len(response.headers["X-Request-ID"]) >= 16
    echoed = await tiny.http.get("/healthz", headers={"X-Request-ID": "a" * 32})
    assert echoed.headers["X-Request-ID"] == "a" * 32


async def test_playground_and_graphiql(tiny: RunningApp) -> None:
    page = await tiny.http.get("/playground")
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    ide = await tiny.http.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200 and "graphiql" in ide.text.lower()


async def test_get_queries_work(tiny: RunningApp) -> None:
    response = await tiny.http.get(
        "/graphql", params={"query": "{ projects(first: 1) { totalCount } }"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["projects"]["totalCount"] == 24
