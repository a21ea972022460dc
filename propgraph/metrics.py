"""Prometheus metrics. Names are part of the public contract."""

from __future__ import annotations

from functools import cache
from typing import Any

from prometheus_client import Counter, Histogram

SQL_STATEMENTS = Counter(
    "propgraph_sql_statements",
    "SQL statements the gateway sent to the database.",
)
GRAPHQL_REQUEST_DURATION = Histogram(
    "propgraph_graphql_request_duration_seconds",
    "Time to answer one GraphQL request.",
    ["role"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
GRAPHQL_REQUESTS = Counter(
    "propgraph_graphql_requests",
    "GraphQL requests answered, by role and outcome.",
    ["role", "status"],
)
COMPILED_READS = Counter(
    "propgraph_compiled_reads",
    "Query operations on PostgreSQL, by how they were answered: one compiled statement "
    "(planned) or field by field (resolvers).",
    ["path"],
)


@cache
def request_metrics(role: str, status: str) -> tuple[Any, Any]:
    """The duration histogram and request counter of one role and outcome (a handful
    of pairs): looked up once, not per request."""
    return GRAPHQL_REQUEST_DURATION.labels(role), GRAPHQL_REQUESTS.labels(role, status)
