"""Every bad input gets a typed answer (issue 7, item 5), never ``Internal error.``

Ids beyond the columns' range answer like unknown ones, cursors we never
issued are ``BAD_USER_INPUT``; an owner's or delegate's to-do list is an
empty list, not a crash.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from propgraph.schema.relay import MAX_KEY, MAX_OFFSET, encode_cursor
from tests.security.client import ACCOUNTS, post_escaped
from tests.support.app import RunningApp
from tests.support.subsidy import CREATE, DELETE, PAID, REPORT, REVIEW, SUBMIT, UPDATE

TODOS = """query($status: TodoStatus!) { todos(status: $status) {
  totalCount edges { node { id } } pageInfo { hasNextPage } } }"""


def b64(text: str) -> str:
    """A global id or cursor of our encoding, holding any text."""
    return base64.urlsafe_b64encode(text.encode()).decode()


def _codes(body: dict[str, Any]) -> list[str]:
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]


# --- to-dos of roles no to-do is addressed to ---------------------------------------


@pytest.mark.parametrize("role", ["OWNER", "DELEGATE"])
@pytest.mark.parametrize("status", ["PENDING", "DONE"])
async def test_owners_and_delegates_get_their_own_empty_todo_list(
    tiny: RunningApp, role: str, status: str
) -> None:
    # given an account no to-do is addressed to
    client = tiny.client(ACCOUNTS[role])
    # when it asks for its to-dos
    body = await client.execute(TODOS, {"status": status})
    # then it gets its own list, which is empty, and no error
    assert body.get("errors") is None, body
    assert body["data"]["todos"] == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False},
    }


@pytest.mark.parametrize("role", ACCOUNTS)
async def test_every_role_gets_a_todo_list(tiny: RunningApp, role: str) -> None:
    # given an account of any role
    client = tiny.client(ACCOUNTS[role])
    for status in ("PENDING", "DONE"):
        # when it asks for its to-dos
        body = await client.execute(TODOS, {"status": status})
        # then it gets a list, never an error
        assert body.get("errors") is None, (status, body)
        assert body["data"]["todos"]["totalCount"] >= 0


# --- ids beyond the columns' range -------------------------------------------------

NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
ROUND_FILTERS = """query($round: ID) {
  subsidyApplications(filter: {roundId: $round}) { totalCount }
  subsidyBatches(roundId: $round) { totalCount }
  subsidyFigures(roundId: $round) { total { applications } }
  districts { edges { node { subsidyFigures(roundId: $round) { total { applications } } } } } }"""
MARK_READ = """mutation($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) {
  notification { id } errors { code field message } } }"""

# Ids no row can have: past the INTEGER range of both databases, past any
# 64-bit integer, negative, or written in non-ASCII digits.
IMPOSSIBLE_IDS = [
    b64(f"Project:{MAX_KEY + 1}"),
    b64("Project:99999999999999999999"),
    b64("Project:" + "9" * 5000),
    b64("Project:-1"),
    b64("Project:１２"),
    b64("SubsidyRound:99999999999999999999"),
]
HUGE = b64("SubsidyApplication:99999999999999999999")


@pytest.mark.parametrize("gid", IMPOSSIBLE_IDS)
async def test_an_impossible_id_answers_like_an_unknown_one(tiny: RunningApp, gid: str) -> None:
    # given a global id naming a key no INTEGER column can hold
    client = tiny.client(ACCOUNTS["CITY"])
    # when it is looked up alone and among real ids
    one = await client.execute(NODE, {"id": gid})
    many = await client.execute(NODES, {"ids": [gid, b64("Project:1")]})
    # then it is null, like any unknown id, and the real one is still found
    assert one == {"data": {"node": None}}
    assert many == {"data": {"nodes": [None, {"id": b64("Project:1")}]}}


async def test_an_impossible_round_id_filters_everything_out(tiny: RunningApp) -> None:
    # given a round id beyond any key
    client = tiny.client(ACCOUNTS["CITY"])
    # when every field filtering by round is asked for it
    body = await client.execute(ROUND_FILTERS, {"round": IMPOSSIBLE_IDS[-1]})
    # then nothing is counted, without an error
    assert body.get("errors") is None, body
    data = body["data"]
    assert data["subsidyApplications"]["totalCount"] == 0
    assert data["subsidyBatches"]["totalCount"] == 0
    assert data["subsidyFigures"]["total"]["applications"] == 0
    assert all(
        edge["node"]["subsidyFigures"]["total"]["applications"] == 0
        for edge in data["districts"]["edges"]
    )


# (role, mutation, input, field at fault) for each id every mutation takes
MUTATIONS_WITH_IDS = [
    (
        "ENTERPRISE",
        CREATE,
        {
            "roundId": HUGE,
            "projectId": b64("Project:1"),
            "managerName": "张三",
            "managerPhone": "13812345678",
            "propertyType": "RESIDENTIAL",
        },
        "roundId",
    ),
    ("ENTERPRISE", UPDATE, {"id": HUGE, "version": 1}, "id"),
    ("ENTERPRISE", DELETE, {"id": HUGE, "version": 1}, "id"),
    (
        "MANAGER",
        SUBMIT,
        {"id": HUGE, "version": 1, "acceptPledge": True, "evidenceIds": [HUGE]},
        "id",
    ),
    ("COMMUNITY", REVIEW, {"id": HUGE, "version": 1, "decision": "APPROVE"}, "id"),
    ("DISTRICT", REPORT, {"roundId": HUGE, "applicationIds": [HUGE]}, "roundId"),
    ("DISTRICT", PAID, {"batchId": HUGE, "paidOn": "2020-04-01"}, "batchId"),
    ("OWNER", MARK_READ, {"id": HUGE}, "id"),
]


@pytest.mark.parametrize(
    ("role", "mutation", "input", "field"),
    MUTATIONS_WITH_IDS,
    ids=[m[1].split("(input")[0].split("{ ")[-1] for m in MUTATIONS_WITH_IDS],
)
async def test_a_mutation_given_an_impossible_id_answers_not_found(
    tiny: RunningApp, role: str, mutation: str, input: dict[str, Any], field: str
) -> None:
    # given an account that may call the mutation, and an id beyond any key
    client = tiny.client(ACCOUNTS[role])
    # when it calls the mutation with it (NOT_FOUND changes nothing: tiny stays as it was)
    body = await client.execute(mutation, {"input": input})
    # then the payload says NOT_FOUND for that field, like an unknown id
    assert body.get("errors") is None, body
    (payload,) = body["data"].values()
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", field)]


# --- cursors ------------------------------------------------------------------------

ROOT_PAGE = "query($after: String) { projects(after: $after) { totalCount edges { node { id } } } }"
NESTED_PAGE = """query($after: String) { districts { edges { node {
  streets(after: $after) { totalCount edges { node { id } } } } } } }"""

BAD_CURSORS = [
    b64(f"cursor:{MAX_OFFSET + 1}"),
    b64(f"cursor:{2**31}"),
    b64("cursor:99999999999999999999"),
    b64("cursor:" + "9" * 5000),
    b64("cursor:-1"),
    b64("cursor:１"),
    b64("cursor:"),
    "\x00",
    "\ud800",
]


@pytest.mark.parametrize("query", [ROOT_PAGE, NESTED_PAGE], ids=["root", "nested"])
@pytest.mark.parametrize("after", BAD_CURSORS)
async def test_a_cursor_we_never_issued_is_bad_user_input(
    tiny: RunningApp, query: str, after: str
) -> None:
    # given a cursor no connection can have issued
    client = tiny.client(ACCOUNTS["CITY"])
    # when a page after it is asked for
    body = (await post_escaped(client, query, {"after": after})).json()
    # then it is refused as bad input
    assert _codes(body) and set(_codes(body)) == {"BAD_USER_INPUT"}, body
    assert "not a cursor" in body["errors"][0]["message"]


@pytest.mark.parametrize("query", [ROOT_PAGE, NESTED_PAGE], ids=["root", "nested"])
async def test_the_furthest_cursor_we_accept_is_an_empty_page(tiny: RunningApp, query: str) -> None:
    # given the furthest offset a cursor may hold
    client = tiny.client(ACCOUNTS["CITY"])
    # when a page after it is asked for
    body = await client.execute(query, {"after": encode_cursor(MAX_OFFSET)})
    # then the page is empty and the total still counted
    assert body.get("errors") is None, body
    if "projects" in body["data"]:
        assert body["data"]["projects"]["edges"] == []
        assert body["data"]["projects"]["totalCount"] > 0
    else:
        streets = [e["node"]["streets"] for e in body["data"]["districts"]["edges"]]
        assert streets and all(s["edges"] == [] and s["totalCount"] > 0 for s in streets)
