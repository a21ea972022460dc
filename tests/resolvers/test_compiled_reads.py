"""Compiled reads (resolvers/compiled) answer exactly what the resolvers answer.

Every query below runs twice per role, once through the one-statement plan
and once field by field, and the two answers must be equal (as JSON values); the
plan must have been used (the ``propgraph_compiled_reads`` counter), in one
statement. PostgreSQL only: SQLite is always answered by the resolvers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from propgraph.metrics import COMPILED_READS
from propgraph.schema.relay import encode_cursor
from tests.support.app import RunningApp, running_app, statements_sent
from tests.support.databases import SERVER_URL
from tests.support.queries import DRILL_DOWN
from tests.support.world import World, load_world

pytestmark = pytest.mark.skipif(
    not SERVER_URL, reason="compiled reads are PostgreSQL's (PROPGRAPH_TEST_DATABASE_URL)"
)

ROLES = ["CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE"]

PAGING = """
query Paging($first: Int, $after: String) {
  projects(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
    edges { cursor node { __typename id name } }
  }
}"""

# No cursor and no pageInfo: the page is read without row numbers (shapes.Page).
PLAIN_PAGING = """
query Plain($first: Int, $after: String) {
  projects(first: $first, after: $after) {
    totalCount
    edges { node { __typename id name buildings(first: 2) { totalCount edges { node { name } } } } }
  }
  todos(first: $first) { totalCount edges { node { id title } } }
  counted: communities(first: $first) { totalCount }
  named: streets(first: $first) { __typename }
}"""

FRAGMENTS = """
query Fragments($withStats: Boolean!, $kind: ProjectKind) {
  ...Root
  again: communities(first: 1) { edges { node { n: name name } } }
}
fragment Root on Query {
  communities(first: 3) {
    edges { node {
      ...Named
      stats @include(if: $withStats) { units floorArea }
      projects(first: 2, filter: {kind: $kind}) { totalCount edges { node { ...Named kind } } }
    } }
  }
}
fragment Named on Node { id ... on Community { name code } ... on Project { name } }
"""

PEOPLE = """
{
  projects(first: 2) { edges { node {
    name servicePhone address totalArea
    region { districtName streetName communityName }
    community { name street { name district { name } } }
    enterprise { name creditCode bankAccount projects(first: 1) { totalCount } }
    buildings(first: 2) { edges { node {
      name project { name }
      units(first: 3) { edges { node {
        number floorArea building { name }
        owners { id name phone idNumber verification units { number } }
      } } }
    } } }
  } } }
}"""

NODE = """
query One($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Unit { number owners { name phone } building { name project { name kind } } }
    ... on Project { name stats { units owners } }
    ... on Owner { name idNumber units { number } }
  }
}"""


@pytest.fixture(scope="module")
async def world(tiny_db_url: str) -> World:
    return await load_world(tiny_db_url)


@pytest.fixture(scope="module")
async def both(tiny_db_url: str) -> AsyncIterator[tuple[RunningApp, RunningApp]]:
    async with (
        running_app(tiny_db_url) as compiled,
        running_app(tiny_db_url, compiled_reads=False) as resolved,
    ):
        yield compiled, resolved


def first_account(world: World, role: str) -> str:
    return next(a.username for a in world.accounts if a.role == role and not a.disabled)


async def same_answer(
    both: tuple[RunningApp, RunningApp],
    username: str | None,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    planned: bool = True,
) -> dict[str, Any]:
    compiled, resolved = both
    planned_, direct = COMPILED_READS.labels("planned"), COMPILED_READS.labels("direct")
    before, sent = planned_._value.get() + direct._value.get(), statements_sent()
    fast = await compiled.client(username).post(query, variables)
    statements = statements_sent() - sent
    used = planned_._value.get() + direct._value.get() - before
    # The same request again: planned before, it takes the direct path.
    direct_before = direct._value.get()
    again = await compiled.client(username).post(query, variables)
    direct_used = direct._value.get() - direct_before
    slow = await resolved.client(username).post(query, variables)
    assert fast.status_code == slow.status_code == again.status_code
    # equal as JSON: PostgreSQL writes the Float 126.0 as 126, the same number
    assert fast.json() == slow.json(), (
        f"{username}: compiled {fast.text[:400]} resolvers {slow.text[:400]}"
    )
    assert again.json() == slow.json(), (
        f"{username}: direct {again.text[:400]} resolvers {slow.text[:400]}"
    )
    assert again.headers["content-type"] == slow.headers["content-type"]
    if planned and "errors" not in slow.json():  # a refused operation runs nothing
        assert used == 1, f"{username}: the plan was not used for {query[:80]}"
        assert direct_used == 1, f"{username}: the direct path was not taken for {query[:80]}"
        assert statements <= 2  # the plan, and the account when it is not cached
    elif "errors" in slow.json():
        assert direct_used == 0, f"{username}: an error answered from a plan: {query[:80]}"
    return fast.json()


@pytest.mark.parametrize("role", ROLES)
async def test_drill_down_and_relations_agree_for_every_role(
    both: tuple[RunningApp, RunningApp], world: World, role: str
) -> None:
    username = first_account(world, role)
    for query in (DRILL_DOWN, PEOPLE, FRAGMENTS):
        variables = {"withStats": role != "OWNER", "kind": "RESIDENTIAL"}
        body = await same_answer(both, username, query, variables, planned=False)
        assert "data" in body


@pytest.mark.parametrize("role", ROLES)
async def test_every_id_agrees_through_node_and_nodes(
    both: tuple[RunningApp, RunningApp], world: World, role: str
) -> None:
    username = first_account(world, role)
    every_id = sorted(world.all_ids())
    await same_answer(
        both,
        username,
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [*every_id, "bm90IG9uZSBvZiBvdXJz", every_id[0]]},
    )
    for gid in every_id[:: max(1, len(every_id) // 40)]:
        await same_answer(both, username, NODE, {"id": gid}, planned=False)


SUBSIDY = """
{
  subsidyFigures { total { status applications enterprises projects area amount } byStatus { status applications area amount } }
  subsidyApplications(first: 5) { totalCount edges { node {
    id status projectName managerName managerPhone propertyType area recordedArea areaChanged
    areaConfirmed pledgeAccepted amount amountExact version createdAt updatedAt bankAccount
    round { id name ratePerSqmMonth months opensOn closesOn }
    project { name region { streetName } }
  } } }
}"""

TODOS = """
query Todos($status: TodoStatus!) {
  todos(status: $status, first: 20) {
    totalCount
    edges { node {
      id kind title status createdAt doneAt
      subject {
        __typename id
        ... on SubsidyApplication { status projectName area version project { id name } }
        ... on SubsidyBatch { totalAmount totalAmountExact reportedAt paidOn }
      }
    } }
  }
}"""


@pytest.mark.parametrize("role", ROLES)
async def test_workflow_reads_agree_for_every_role(
    both: tuple[RunningApp, RunningApp], world: World, role: str
) -> None:
    username = first_account(world, role)
    for status in ("PENDING", "DONE"):
        await same_answer(both, username, TODOS, {"status": status}, planned=False)
    await same_answer(both, username, SUBSIDY, planned=False)


async def test_bench_requests_are_planned(
    both: tuple[RunningApp, RunningApp], world: World
) -> None:
    from bench.cases import CASES

    by_role = {"STREET": "STREET", "DISTRICT": "DISTRICT", "COMMUNITY": "COMMUNITY", "CITY": "CITY"}
    for case in CASES:
        if case.role in by_role:
            await same_answer(both, first_account(world, case.role), case.graphql)
    for role in ("CITY", "DISTRICT", "STREET", "COMMUNITY"):
        await same_answer(both, first_account(world, role), TODOS, {"status": "PENDING"})
        await same_answer(both, first_account(world, role), SUBSIDY)


async def test_offices_dashboards_are_one_statement(
    both: tuple[RunningApp, RunningApp], world: World
) -> None:
    for role in ("CITY", "DISTRICT"):  # the others' schemas have no `districts`
        await same_answer(both, first_account(world, role), DRILL_DOWN)
    for role in ("CITY", "DISTRICT", "STREET", "COMMUNITY"):
        await same_answer(
            both, first_account(world, role), FRAGMENTS, {"withStats": True, "kind": None}
        )
    await same_answer(both, first_account(world, "CITY"), PEOPLE)
    unit = next(iter(sorted(i for i in world.all_ids())))
    await same_answer(both, first_account(world, "CITY"), NODE, {"id": unit})


@pytest.mark.parametrize(
    ("first", "after"),
    [(None, None), (0, None), (1, None), (2, 0), (5, 3), (3, 10_000), (500, None)],
)
async def test_pages_and_cursors_agree(
    both: tuple[RunningApp, RunningApp], world: World, first: int | None, after: int | None
) -> None:
    variables = {"first": first, "after": encode_cursor(after) if after is not None else None}
    for username in (first_account(world, "CITY"), first_account(world, "STREET"), None):
        await same_answer(both, username, PAGING, variables)
    for username in (first_account(world, "CITY"), first_account(world, "COMMUNITY")):
        await same_answer(both, username, PLAIN_PAGING, variables)


@pytest.mark.parametrize(
    "selection",
    ["pageInfo { endCursor }", "pageInfo { hasNextPage }", "totalCount", "__typename"],
)
async def test_a_page_that_reads_only_part_of_itself_is_planned(
    both: tuple[RunningApp, RunningApp], world: World, selection: str
) -> None:
    # A parameter the statement never uses cannot be typed by PostgreSQL (the
    # fuzzer found `pageInfo { endCursor }` alone); the plan drops it.
    query = f"query($after: String) {{ projects(first: 1, after: $after) {{ {selection} }} }}"
    for role in ("OWNER", "STREET"):
        await same_answer(both, first_account(world, role), query, {"after": None})


async def test_bad_input_is_answered_by_the_resolvers_with_its_error(
    both: tuple[RunningApp, RunningApp], world: World
) -> None:
    city = first_account(world, "CITY")
    for variables in ({"first": -1}, {"first": 501}, {"after": "not-a-cursor"}):
        body = await same_answer(both, city, PAGING, variables, planned=False)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # a plan made for good values is not used for bad ones
    await same_answer(both, city, PAGING, {"first": 2})
    body = await same_answer(both, city, PAGING, {"first": 9999}, planned=False)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_masking_follows_the_role_in_sql_too(
    both: tuple[RunningApp, RunningApp], world: World
) -> None:
    query = "{ projects(first: 3) { edges { node { buildings(first: 2) { edges { node { units(first: 4) { edges { node { owners { phone idNumber } } } } } } } } } } }"
    manager = await same_answer(both, first_account(world, "MANAGER"), query)
    community = await same_answer(both, first_account(world, "COMMUNITY"), query)
    phones = [
        o["phone"]
        for p in manager["data"]["projects"]["edges"]
        for b in p["node"]["buildings"]["edges"]
        for u in b["node"]["units"]["edges"]
        for o in u["node"]["owners"]
    ]
    assert phones and all("****" in p for p in phones if p)
    assert "****" not in str(community)


async def test_a_batch_carries_each_plans_json_as_written(
    both: tuple[RunningApp, RunningApp], world: World
) -> None:
    compiled, resolved = both
    city = first_account(world, "CITY")
    batch = [
        {"query": PAGING, "variables": {"first": 2}},
        {"query": "{ districts(first: 1) { edges { node { name } } } }"},
        {"query": PAGING, "variables": {"first": -1}},  # refused: the resolvers' error
    ]
    headers = {"Authorization": f"Bearer {compiled.client(city).token}"}
    fast = await compiled.http.post("/graphql", json=batch, headers=headers)
    slow = await resolved.http.post("/graphql", json=batch, headers=headers)
    assert fast.status_code == slow.status_code == 200
    assert fast.json() == slow.json()
    assert fast.json()[0]["data"]["projects"]["edges"]
    assert fast.json()[2]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_direct_answer_past_its_time_is_stopped(tiny_db_url: str, world: World) -> None:
    import asyncio

    import asyncpg

    city = first_account(world, "CITY")
    query = "{ projects(first: 2) { totalCount edges { node { name } } } }"
    planned, direct = COMPILED_READS.labels("planned"), COMPILED_READS.labels("direct")
    async with running_app(tiny_db_url, operation_timeout_seconds=0.5) as app:
        client = app.client(city)
        expected = await client.data(query)  # planned here; the direct path from now on
        locker = await asyncpg.connect(tiny_db_url.replace("+asyncpg", ""))
        try:
            # when the table the plan reads is locked, its one statement waits...
            await locker.execute("BEGIN; LOCK TABLE projects IN ACCESS EXCLUSIVE MODE")
            before = planned._value.get() + direct._value.get()
            async with asyncio.timeout(10):
                body = await client.execute(query)
            # ...and is stopped at the operation's limit, answered TIMEOUT by the direct path
            assert body["errors"][0]["extensions"]["code"] == "TIMEOUT", body
            assert body["data"] is None
            assert planned._value.get() + direct._value.get() == before  # not run again
        finally:
            await locker.execute("ROLLBACK")
            await locker.close()
        # the connection it used went back to the pool in a usable state
        for _ in range(3):
            assert await client.data(query) == expected


async def test_a_direct_answer_uses_the_driver_pool_and_a_starved_one_answers_503(
    tiny_db_url: str, world: World
) -> None:
    import asyncio

    city = first_account(world, "CITY")
    query = "{ projects(first: 2) { totalCount edges { node { name } } } }"
    direct = COMPILED_READS.labels("direct")
    async with running_app(tiny_db_url) as app:
        client = app.client(city)
        expected = await client.data(query)  # planned here; the direct path from now on
        viewers = app.services.extras["viewers"]
        for _ in range(50):  # the account cache works once the listener hears changes
            if viewers.active:
                break
            await asyncio.sleep(0.1)
        assert viewers.active
        await client.data(query)  # the viewer cached
        driver = app.services.driver_pool
        assert driver is not None
        sent: list[str] = []
        fetch_value = driver.fetch_value

        async def counted(sql: str, params: list[Any], timeout: float | None) -> Any:
            sent.append(sql)
            return await fetch_value(sql, params, timeout)

        driver.fetch_value = counted  # type: ignore[method-assign]
        before = direct._value.get()
        # given a planned query of a cached account, its one statement is the driver pool's
        assert await client.data(query) == expected
        assert direct._value.get() == before + 1 and len(sent) == 1
        # when every connection of the driver pool is taken, the answer is 503 at once
        driver.timeout = 0.2
        held = [await driver._pool.acquire() for _ in range(driver.size)]
        try:
            response = await client.post(query)
            assert response.status_code == 503 and response.headers["Retry-After"] == "1"
            assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        finally:
            for conn in held:
                await driver._pool.release(conn)
        # and once they are back, the answer is served again
        assert await client.data(query) == expected
