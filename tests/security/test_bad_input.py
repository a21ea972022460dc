"""Every bad input gets a typed answer (issue 7, item 5), never ``Internal error.``

An owner's or delegate's to-do list is an empty list, not a crash.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.security.client import ACCOUNTS
from tests.support.app import RunningApp

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
