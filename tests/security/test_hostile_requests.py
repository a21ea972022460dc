"""Issue 7: no request can freeze, starve or crash the gateway.

Each repro of the audit is answered quickly by a typed refusal, and the
gateway keeps answering other clients meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator

import pytest

from propgraph.authz.limits import ROLE_LIMITS
from propgraph.db import create_engine
from tests.support.app import RunningApp, running_app, token_for

SMALL_QUERY = "{ projects(first: 1) { totalCount } }"
# The audit's repro: fragments that each spread the next one twice (2^depth).
FRAGMENT_BOMB = (
    "{ ...L0 } "
    + " ".join(
        f"fragment L{i} on Query {{ __typename ...L{i + 1} ...L{i + 1} }}" for i in range(40)
    )
    + " fragment L40 on Query { __typename }"
)


def _project_chain(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"projects(first: 500) {{ edges {{ node {{ enterprise {{ {inner} }} }} }} }}"
    return "{ " + inner + " }"


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def _timed(coro: object) -> tuple[object, float]:
    started = time.perf_counter()
    result = await coro  # type: ignore[misc]
    return result, time.perf_counter() - started


async def test_fragment_doubling_is_refused_at_once_while_others_are_answered(
    tiny: RunningApp,
) -> None:
    # given the audit's fragment bomb (40 levels: it never returned before), sent anonymously
    anonymous = tiny.client()
    # when it runs next to an ordinary query
    (bomb, bomb_s), (small, small_s) = await asyncio.gather(
        _timed(anonymous.execute(FRAGMENT_BOMB)), _timed(anonymous.execute(SMALL_QUERY))
    )
    # then it is refused by its cost, well within a second, and the other query is answered
    assert _code(bomb) == "QUERY_TOO_COMPLEX", bomb
    assert bomb_s < 1.0 and small_s < 1.0, (bomb_s, small_s)
    assert small["data"]["projects"]["totalCount"] == 24


async def test_a_chain_of_fragments_deeper_than_the_stack_is_refused(tiny: RunningApp) -> None:
    chain = " ".join(f"fragment L{i} on Query {{ ...L{i + 1} }}" for i in range(400))
    body = await tiny.client().execute(
        "{ ...L0 } " + chain + " fragment L400 on Query { __typename }"
    )
    assert _code(body) == "QUERY_TOO_COMPLEX"


async def test_a_repeated_path_is_counted_every_time(tiny: RunningApp) -> None:
    # the loader cache would answer enterprise → projects from memory: it is still counted
    body = await tiny.client().execute(_project_chain(3))
    assert _code(body) == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["limit"] == "cost"
    assert body["data"] is None


async def test_aliases_multiply_the_cost(tiny: RunningApp) -> None:
    # 30 aliases (allowed for an office) of a page of 500 projects with their buildings
    one = "projects(first: 500) { edges { node { id buildings(first: 50) { edges { node { id } } } } } }"
    query = "{ " + " ".join(f"a{i}: {one}" for i in range(30)) + " }"
    body = await tiny.client("city_head").execute(query)
    assert _code(body) == "QUERY_TOO_COMPLEX"


async def test_a_batch_shares_one_budget(tiny: RunningApp) -> None:
    # given an operation that alone fits the anonymous budget
    one = {"query": "{ projects(first: 500) { edges { node { id name kind } } } }"}
    limit = ROLE_LIMITS["PUBLIC"].cost
    # when ten are batched
    response = await tiny.http.post("/graphql", json=[one] * 10)
    answers = response.json()
    # then the first ones run and the ones past the shared budget are refused
    assert answers[0]["data"]["projects"]["edges"]
    refused = [a for a in answers if a.get("errors")]
    assert refused and all(_code(a) == "QUERY_TOO_COMPLEX" for a in refused)
    assert refused[0]["errors"][0]["extensions"]["maximum"] == limit


async def test_the_same_field_many_times_is_refused_before_validation(tiny: RunningApp) -> None:
    # graphql-core compares same-named fields pairwise: 700 copies took 1.3 s to validate
    query = "{ " + " ".join("me { username }" for _ in range(700)) + " }"
    body, seconds = await _timed(tiny.client("city_head").execute(query))
    assert _code(body) == "QUERY_TOO_COMPLEX" and seconds < 1.0
    assert body["errors"][0]["extensions"]["limit"] == "duplicates"


async def test_recursive_introspection_is_refused(tiny: RunningApp) -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    body = await tiny.client().execute(query)
    assert _code(body) == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["limit"] == "introspection_lists"


async def test_graphiql_introspection_fits_every_role(tiny: RunningApp) -> None:
    from graphql import get_introspection_query

    query = get_introspection_query(descriptions=True, input_value_deprecation=True)
    for username in (None, "city_head"):
        body = await tiny.client(username).execute(query)
        assert not body.get("errors") and body["data"]["__schema"]["types"]


async def test_concurrent_introspections_run_once_per_role(
    tiny: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphql import get_introspection_query
    from strawberry.asgi import GraphQL

    # given a count of the operations that actually execute
    executed = 0
    original = GraphQL.execute_single

    async def counting(self: GraphQL, *args: object, **kwargs: object) -> object:
        nonlocal executed
        executed += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(GraphQL, "execute_single", counting)
    query = get_introspection_query(descriptions=False) + " "  # a text no other test sent
    # when eight anonymous clients introspect at once
    bodies = await asyncio.gather(*(tiny.client().execute(query) for _ in range(8)))
    # then every one is answered, from one execution
    assert all(b["data"]["__schema"]["queryType"] for b in bodies)
    assert executed == 1


async def test_a_body_over_the_limit_is_refused_with_413(tiny: RunningApp) -> None:
    padding = "#" * (1024 * 1024)
    response = await tiny.http.post("/graphql", json={"query": SMALL_QUERY + padding})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_an_upload_is_refused_once_past_the_limit_not_after_it_arrives(
    tiny: RunningApp,
) -> None:
    # given a 100 MB multipart body sent in 1 MB chunks, without a Content-Length
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100):
            sent += 1
            yield b"x" * (1024 * 1024)

    headers = {
        "content-type": "multipart/form-data; boundary=b",
        "authorization": f"Bearer {token_for('city_head')}",
    }
    response = await tiny.http.post("/graphql", content=chunks(), headers=headers)
    # then it is refused after about the upload limit (10 MB) plus the JSON limit
    assert response.status_code == 413
    assert sent <= 13, sent


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"query": "\xff\xfe{ me { username } }"}', "invalid UTF-8"),
        (b"[1]", "a batch of a number"),
        (b"[]", "an empty batch"),
        (b'"just a string"', "a JSON string"),
        (b'[{"query": 5}]', "a batch with a non-string query"),
        (
            json.dumps({"query": SMALL_QUERY, "variables": {"x": [[[[]]]]}})
            .replace("[[[[]]]]", "[" * 10_000 + "]" * 10_000)
            .encode(),
            "10,000-deep variables",
        ),
    ],
)
async def test_malformed_bodies_are_a_typed_400(tiny: RunningApp, body: bytes, why: str) -> None:
    response = await tiny.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, why
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST", why


async def test_a_failing_field_does_not_close_the_connection_under_its_sibling(
    tiny: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    # given a query where one field fails validation of its argument while a sibling reads
    caplog.set_level(logging.INFO)
    query = "{ me { scope { id } } projects(first: -1) { totalCount } }"
    for _ in range(5):
        body = await tiny.client("enterprise_1").execute(query)
        assert _code(body) == "BAD_USER_INPUT"
    await asyncio.sleep(0.1)  # let any orphaned loader task finish
    # then nothing failed behind the answer, and the pool still serves
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not errors, [r.getMessage() for r in errors]
    assert (await tiny.client("city_head").data(SMALL_QUERY))["projects"]["totalCount"] == 24


async def test_a_client_gone_mid_body_is_an_info_line(
    tiny: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = tiny.app
    messages = [
        {"type": "http.request", "body": b'{"query": ', "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"t")],
        "client": ("127.0.0.1", 1),
        "server": ("t", 80),
        "state": {},
    }
    await app(scope, receive, send)
    assert any(
        "disconnected" in r.getMessage() and r.levelno == logging.INFO for r in caplog.records
    )
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_an_operation_past_its_time_is_stopped(tiny_db_url: str) -> None:
    async with running_app(tiny_db_url, operation_timeout_seconds=0.001) as app:
        body = await app.client("city_head").execute(
            "{ projects(first: 100) { edges { node { buildings(first: 10) { edges { node { units(first: 10) { totalCount } } } } } } } }"
        )
        assert _code(body) == "TIMEOUT"
    # the database connection it used went back to the pool in a usable state
    async with running_app(tiny_db_url) as app:
        assert (await app.client("city_head").data(SMALL_QUERY))["projects"]["totalCount"] == 24


async def test_an_answer_over_its_size_limit_is_refused(tiny_db_url: str) -> None:
    async with running_app(tiny_db_url, max_response_bytes=500) as app:
        body = await app.client("city_head").execute(
            "{ projects(first: 500) { edges { node { id name } } } }"
        )
        assert _code(body) == "RESPONSE_TOO_LARGE"
        assert (await app.client("city_head").data(SMALL_QUERY))["projects"]["totalCount"] == 24


class _SlowBody:
    """A request body that sends a first byte and then waits until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"query": '
        await self.release.wait()
        yield json.dumps(SMALL_QUERY).encode() + b"}"


async def test_slow_bodies_hold_no_connection_and_time_out(tiny_db_url: str) -> None:
    # (one IP may have at most 32 requests in flight: lift that, another test checks it)
    async with running_app(
        tiny_db_url, body_timeout_seconds=0.5, max_anonymous_requests_per_ip=100
    ) as app:
        pool = app.services.engine.pool
        headers = {"content-type": "application/json"}
        slow = [_SlowBody() for _ in range(20)]
        # given 20 clients (different accounts) stalling their bodies
        tasks = [
            asyncio.create_task(
                app.http.post(
                    "/graphql",
                    content=body.__aiter__(),
                    headers={**headers, "authorization": f"Bearer {token_for('city_head')}"}
                    if i == 0
                    else headers,
                )
            )
            for i, body in enumerate(slow)
        ]
        await asyncio.sleep(0.1)
        # then none of them holds a database connection, and others are served
        assert pool.checkedout() == 0  # type: ignore[attr-defined]
        assert (await app.client("city_head").data(SMALL_QUERY))["projects"]["totalCount"] == 24
        # and each stalled body is refused with 408 after the body timeout
        responses = await asyncio.gather(*tasks)
        assert {r.status_code for r in responses} == {408}
        assert responses[0].json()["errors"][0]["extensions"]["code"] == "REQUEST_TIMEOUT"


async def test_one_client_cannot_take_every_slot(tiny_db_url: str) -> None:
    async with running_app(tiny_db_url, max_requests_per_client=2) as app:
        headers = {
            "content-type": "application/json",
            "authorization": f"Bearer {token_for('city_head')}",
        }
        slow = [_SlowBody() for _ in range(2)]
        stalled = [
            asyncio.create_task(app.http.post("/graphql", content=b.__aiter__(), headers=headers))
            for b in slow
        ]
        await asyncio.sleep(0.05)
        # a third request of the same account is refused at once
        third = await app.client("city_head").post(SMALL_QUERY)
        assert third.status_code == 429 and third.headers["Retry-After"] == "1"
        assert third.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
        # another account is not affected
        assert (await app.client("enterprise_2").data(SMALL_QUERY))["projects"]
        for body in slow:
            body.release.set()
        assert {r.status_code for r in await asyncio.gather(*stalled)} == {200}


async def test_a_starved_pool_answers_503_quickly(tiny_db_url: str) -> None:
    # given a gateway whose pool has one connection, taken by someone else
    engine = create_engine(tiny_db_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    async with running_app(tiny_db_url, engine=engine) as app:
        async with engine.connect():
            started = time.perf_counter()
            response = await app.client("city_head").post(SMALL_QUERY)
            seconds = time.perf_counter() - started
            ready = await app.http.get("/readyz")
        # then the request is refused at once with Retry-After, and /readyz says so
        assert response.status_code == 503 and response.headers["Retry-After"] == "1"
        assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert seconds < 2
        assert ready.status_code == 503 and ready.json()["pool"]["saturated"] is True
        # and once the connection is back, requests are served again
        assert (await app.client("city_head").data(SMALL_QUERY))["projects"]["totalCount"] == 24
        assert (await app.http.get("/readyz")).json()["pool"]["saturated"] is False


async def test_no_connection_is_held_after_the_answer(tiny: RunningApp) -> None:
    await tiny.client("city_head").data(SMALL_QUERY)
    assert tiny.services.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_admission_counts_accounts_and_addresses_apart() -> None:
    from propgraph.admission import Admission, Refusal

    admission = Admission(max_requests=2, max_websockets=1, max_anonymous_requests=3)
    for _ in range(2):
        admission.enter("account:a")
    with pytest.raises(Refusal):
        admission.enter("account:a")
    for _ in range(3):
        admission.enter("ip:10.0.0.1")  # a shared address gets more room
    with pytest.raises(Refusal):
        admission.enter("ip:10.0.0.1")
    admission.enter("account:b")  # others are not affected
    admission.leave("account:a")
    admission.enter("account:a")  # a slot came free
    admission.enter("account:a", websocket=True)
    with pytest.raises(Refusal):
        admission.enter("account:a", websocket=True)
