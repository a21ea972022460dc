"""Prometheus metrics. Names are part of the public contract."""

from __future__ import annotations

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
