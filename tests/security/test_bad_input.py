"""Every bad input gets a typed answer (issue 7, item 5), never ``Internal error.``

Ids and cursors beyond the columns' range answer like unknown ones; text the
databases cannot store (NUL, lone surrogates) or search text that is far
too long is refused as ``BAD_USER_INPUT`` before any resolver runs; an
owner's or delegate's to-do list is an empty list, not a crash.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from propgraph.schema.relay import MAX_KEY, MAX_OFFSET, encode_cursor
from propgraph.schema.text import MAX_SEARCH_TEXT, CheckedInput
from propgraph.storage import display_name
from tests.security.client import ACCOUNTS, post_escaped
from tests.support.app import RunningApp
from tests.support.subsidy import CREATE, DELETE, OPEN_ROUND, PAID, REPORT, REVIEW, SUBMIT, UPDATE

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


# --- text the databases cannot store ------------------------------------------------

SEARCH = "query($text: String) { projects(filter: {nameContains: $text}) { totalCount } }"
SEARCH_NESTED = """query($text: String) { communities { edges { node {
  projects(filter: {nameContains: $text}) { totalCount } } } } }"""
BAD_TEXT = {"nul": "物业\x00", "lone surrogate": "物业\ud800", "low surrogate": "\udfff"}


@pytest.mark.parametrize("query", [SEARCH, SEARCH_NESTED], ids=["root", "nested"])
@pytest.mark.parametrize("text", BAD_TEXT.values(), ids=BAD_TEXT.keys())
async def test_search_text_the_database_cannot_take_is_bad_user_input(
    tiny: RunningApp, query: str, text: str
) -> None:
    # given search text with NUL or a lone surrogate
    client = tiny.client(ACCOUNTS["CITY"])
    # when projects are searched for it
    body = (await post_escaped(client, query, {"text": text})).json()
    # then it is refused as bad input naming the field
    assert _codes(body) and set(_codes(body)) == {"BAD_USER_INPUT"}, body
    assert "`nameContains` may not contain" in body["errors"][0]["message"]


async def test_nul_written_in_the_query_itself_is_bad_user_input(tiny: RunningApp) -> None:
    # given NUL as a GraphQL escape in a literal, not in a variable
    client = tiny.client(ACCOUNTS["CITY"])
    # when projects are searched for it
    body = await client.execute('{ projects(filter: {nameContains: "a\\u0000"}) { totalCount } }')
    # then it is refused the same way
    assert _codes(body) == ["BAD_USER_INPUT"], body


@pytest.mark.parametrize("text", BAD_TEXT.values(), ids=BAD_TEXT.keys())
@pytest.mark.parametrize(
    ("role", "mutation", "input", "field"),
    [
        (
            "CITY",
            OPEN_ROUND,
            {
                "ratePerSqmMonth": 0.5,
                "months": 2,
                "opensOn": "2020-02-16",
                "closesOn": "2020-03-31",
            },
            "name",
        ),
        (
            "ENTERPRISE",
            CREATE,
            {
                "roundId": HUGE,
                "projectId": HUGE,
                "managerPhone": "13812345678",
                "propertyType": "RESIDENTIAL",
            },
            "managerName",
        ),
        ("ENTERPRISE", UPDATE, {"id": HUGE, "version": 1}, "managerPhone"),
        ("COMMUNITY", REVIEW, {"id": HUGE, "version": 1, "decision": "REJECT"}, "comment"),
        ("DISTRICT", REPORT, {"roundId": HUGE}, "applicationIds"),
    ],
    ids=["round name", "manager name", "manager phone", "rejection reason", "id list"],
)
async def test_mutation_text_the_database_cannot_take_is_bad_user_input(
    tiny: RunningApp, role: str, mutation: str, input: dict[str, Any], field: str, text: str
) -> None:
    # given a mutation input whose text holds NUL or a lone surrogate
    client = tiny.client(ACCOUNTS[role])
    value = [text] if field == "applicationIds" else text
    # when the mutation is called (refused before it runs: tiny stays as it was)
    body = (await post_escaped(client, mutation, {"input": {**input, field: value}})).json()
    # then it is refused as bad input naming the field
    assert _codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["message"].startswith(f"`{field}` may not contain"), body


# --- text that is far too long ------------------------------------------------------


async def test_search_text_over_the_limit_is_bad_user_input(tiny: RunningApp) -> None:
    # given search text of 50,000 characters
    client = tiny.client(ACCOUNTS["CITY"])
    # when projects are searched for it
    body = await client.execute(SEARCH, {"text": "物" * 50_000})
    # then the limit is named
    assert _codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["message"] == (
        f"`nameContains` may have at most {MAX_SEARCH_TEXT} characters."
    )


async def test_search_text_at_the_limit_is_searched(tiny: RunningApp) -> None:
    # given search text of exactly the longest length, with LIKE's special characters
    client = tiny.client(ACCOUNTS["CITY"])
    text = ("%_/" * MAX_SEARCH_TEXT)[:MAX_SEARCH_TEXT]
    # when projects are searched for it
    data = await client.data(SEARCH, {"text": text})
    # then nothing matches, without an error
    assert data["projects"]["totalCount"] == 0


async def test_the_search_limit_is_documented(tiny: RunningApp) -> None:
    # given the schema an integrator reads
    schema = tiny.services.schemas["CITY"]._schema
    # when the search field is described
    field = schema.type_map["ProjectFilter"].fields["nameContains"]
    # then its limit is part of the description
    assert f"at most {MAX_SEARCH_TEXT} characters" in field.description


# --- the one place text is checked --------------------------------------------------


@pytest.mark.parametrize("role", [*ACCOUNTS, "PUBLIC"])
def test_every_input_type_checks_its_text(tiny: RunningApp, role: str) -> None:
    # given the role's schema
    schema = tiny.services.schemas[role]._schema
    for named in schema.type_map.values():
        # then every input type is built through CheckedInput ...
        if isinstance(named, GraphQLInputObjectType):
            origin = named.extensions["strawberry-definition"].origin
            assert issubclass(origin, CheckedInput), named.name
        # ... and the only String arguments outside input types are cursors, and
        # CONTRACT's `policyRules(subject:)`, which its resolver checks (below)
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for field_name, field in named.fields.items():
                for arg_name, arg in field.args.items():
                    where = f"{named.name}.{field_name}({arg_name})"
                    if get_named_type(arg.type).name == "String":
                        assert arg_name == "after" or where == "Query.policyRules(subject)", where


def test_an_uploaded_file_name_keeps_only_printable_characters() -> None:
    # given a file name with NUL, a lone surrogate, a control character and a folder
    raw = "C:\\docs\\合同\x00\ud800\x1b.pdf"
    # when it is made the stored display name
    name = display_name(raw)
    # then only the printable file name is left
    assert name == "合同.pdf"
