"""Operation limits: generous enough for the drill-down, refusing abuse clearly."""

from __future__ import annotations

import pytest

from propgraph.authz.limits import MAX_OPERATIONS_PER_BATCH, OFFICES
from tests.support.app import RunningApp, running_app
from tests.support.queries import DRILL_DOWN, UNLIMITED

MAX_DEPTH, MAX_ALIASES, MAX_TOKENS = OFFICES.depth, OFFICES.aliases, OFFICES.tokens


def _assert_refused_without_schema(body: dict, fragment: str) -> None:
    assert body.get("data") is None
    messages = " ".join(e["message"] for e in body["errors"])
    assert fragment in messages, messages
    # a refusal names the limit, never lists the schema's types or fields
    assert "type Query" not in messages and "District" not in messages


async def test_the_drill_down_passes_every_limit(tiny: RunningApp) -> None:
    data = await tiny.client("city_head").data(DRILL_DOWN)
    assert data["districts"]["edges"]


async def test_too_deep_is_refused(tiny: RunningApp) -> None:
    # owners → units → building → project → buildings → units → owners → … past the limit
    inner = "id"
    for _ in range(MAX_DEPTH):
        inner = f"units {{ owners {{ {inner} }} }}"
    body = await tiny.client("city_head").execute(
        f'{{ node(id: "x") {{ ... on Owner {{ {inner} }} }} }}'
    )
    _assert_refused_without_schema(body, "exceeds maximum operation depth")


async def test_too_many_aliases_are_refused_also_through_fragments(tiny: RunningApp) -> None:
    client = tiny.client("city_head")
    aliased = " ".join(f"a{i}: me {{ username }}" for i in range(MAX_ALIASES + 1))
    _assert_refused_without_schema(await client.execute(f"{{ {aliased} }}"), "aliases")
    # 6 aliases in a fragment spread 6 times: 36 counted
    fragment = "fragment F on Viewer { " + " ".join(f"x{i}: username" for i in range(6)) + " }"
    spreads = " ".join(f"m{i}: me {{ ...F }}" for i in range(6))
    _assert_refused_without_schema(await client.execute(f"{{ {spreads} }} {fragment}"), "aliases")
    # and a query under the limit is fine
    assert (await client.data("{ a: me { username } b: me { username } }"))["a"][
        "username"
    ] == "city_head"


async def test_too_many_tokens_are_refused(tiny: RunningApp) -> None:
    fields = " ".join(["username"] * (MAX_TOKENS // 1))
    body = await tiny.client("city_head").execute(f"{{ me {{ {fields} }} }}")
    _assert_refused_without_schema(body, f"more than {MAX_TOKENS} tokens")


@pytest.mark.parametrize("first", [501, -1])
async def test_page_size_outside_0_to_500_is_refused(tiny: RunningApp, first: int) -> None:
    body = await tiny.client("city_head").execute(
        f"{{ projects(first: {first}) {{ totalCount }} }}"
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "500" in body["errors"][0]["message"]


async def test_page_size_of_500_and_the_default_of_50(tiny: RunningApp) -> None:
    client = tiny.client("city_head")
    data = await client.data(
        "{ a: projects(first: 500) { edges { cursor } } b: projects { edges { cursor } } }"
    )
    assert len(data["a"]["edges"]) == 24  # all of tiny's projects
    data = await client.data("{ owners: nodes(ids: []) { id } }")
    assert data["owners"] == []


async def test_nodes_takes_at_most_1000_ids(tiny: RunningApp) -> None:
    body = await tiny.client("city_head").execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["x"] * 1001}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_batches_are_limited(tiny: RunningApp) -> None:
    headers = {"Authorization": f"Bearer {tiny.client('city_head').token}"}
    operation = {"query": "{ me { username } }"}
    ok = await tiny.http.post("/graphql", json=[operation] * 2, headers=headers)
    assert ok.status_code == 200 and len(ok.json()) == 2
    too_many = [operation] * (MAX_OPERATIONS_PER_BATCH + 1)
    refused = await tiny.http.post("/graphql", json=too_many, headers=headers)
    assert refused.status_code == 400


async def test_a_bad_cursor_is_a_clear_error(tiny: RunningApp) -> None:
    body = await tiny.client("city_head").execute(
        '{ projects(after: "not-a-cursor") { totalCount } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_nested_pages_that_would_read_too_many_rows_are_refused(
    tiny: RunningApp, tiny_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 500 × 500 × 500 … : refused by its static cost before anything runs
    nested = "units(first: 500) { edges { node { id } } }"
    for level in ("buildings", "projects", "communities", "streets"):
        nested = f"{level}(first: 500) {{ edges {{ node {{ {nested} }} }} }}"
    query = f"{{ districts(first: 500) {{ edges {{ node {{ {nested} }} }} }} }}"
    body = await tiny.client("city_head").execute(query)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["limit"] == "cost"
    # with the cost limit lifted, the row budget still refuses it before the big statement
    # (tiny holds too little to reach 100,000 rows: scale the budget down to tiny's size)
    monkeypatch.setattr("propgraph.resolvers.paging.MAX_ROWS_PER_REQUEST", 10_000)
    async with running_app(tiny_db_url, limits=UNLIMITED) as unlimited:
        body = await unlimited.client("city_head").execute(query)
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_ROWS"
    assert "first" in body["errors"][0]["message"]
