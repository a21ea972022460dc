"""Sending what a JSON client may send but httpx's ``json=`` cannot: lone surrogates."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.app import GraphQLClient

# Usernames of one account per role in the tiny dataset (`propgraph users`).
ACCOUNTS = {
    "CITY": "city_head",
    "DISTRICT": "district_440303_head",
    "STREET": "street_440303001_head",
    "COMMUNITY": "community_440303001001_head",
    "ENTERPRISE": "enterprise_1",
    "MANAGER": "manager_P440303001001001",
    "OWNER": "owner_1",
    "DELEGATE": "delegate_1",
}


async def post_escaped(
    client: GraphQLClient, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    """POST with every non-ASCII character escaped (``\\ud800`` stays a lone surrogate)."""
    body = json.dumps({"query": query, "variables": variables or {}})  # ensure_ascii
    headers = {**client._headers(), "Content-Type": "application/json"}
    return await client.http.post("/graphql", content=body.encode("ascii"), headers=headers)
