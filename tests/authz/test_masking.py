"""Personal data is shown in full only to its person and to offices whose subtree holds it."""

from __future__ import annotations

import re

import pytest

from tests.support.app import RunningApp

OWNER_QUERY = """query($id: ID!) { node(id: $id) { ... on Owner { phone idNumber } } }"""
ENTERPRISE_QUERY = """query($id: ID!) { node(id: $id) { ... on Enterprise { bankAccount } } }"""
MASKED_ID = re.compile(r"^\d{4}\*{10}[\dX]{4}$")
MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")
MASKED_BANK = re.compile(r"^\d{4}\*+\d{4}$")
FULL_ID = re.compile(r"^\d{17}[\dX]$")
FULL_PHONE = re.compile(r"^1\d{10}$")

# role → (owner data full?, enterprise bank account full?)
EXPECTED = {
    "CITY": (True, True),
    "DISTRICT": (True, True),
    "STREET": (True, True),
    "COMMUNITY": (True, True),
    "ENTERPRISE": (False, True),  # its own bank account
    "MANAGER": (False, False),
    "OWNER": (True, False),  # its own record
    "DELEGATE": (False, False),
}


async def _first_owner_and_enterprise(app: RunningApp, username: str) -> tuple[str, str]:
    client = app.client(username)
    data = await client.data(
        """{ me { scope { id __typename } } projects(first: 1) { edges { node { enterprise { id }
             buildings(first: 10) { edges { node { units(first: 20) { edges { node { owners { id } } } } } } } } } } }"""
    )
    project = data["projects"]["edges"][0]["node"]
    owners = [
        owner["id"]
        for b in project["buildings"]["edges"]
        for u in b["node"]["units"]["edges"]
        for owner in u["node"]["owners"]
    ]
    assert owners, f"{username} sees no owner to check"
    return owners[0], project["enterprise"]["id"]


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_personal_data_is_masked_by_role(tiny: RunningApp, role: str) -> None:
    # given an account of the role, and an owner and an enterprise it may see
    username = await _username(tiny, role)
    owner_id, enterprise_id = await _first_owner_and_enterprise(tiny, username)
    client = tiny.client(username)
    full_owner, full_bank = EXPECTED[role]
    # when it reads their personal data
    owner = (await client.data(OWNER_QUERY, {"id": owner_id}))["node"]
    enterprise = (await client.data(ENTERPRISE_QUERY, {"id": enterprise_id}))["node"]
    # then it is in full or masked, as the role's row says
    if full_owner:
        assert FULL_ID.match(owner["idNumber"]) and FULL_PHONE.match(owner["phone"]), owner
    else:
        assert MASKED_ID.match(owner["idNumber"]) and MASKED_PHONE.match(owner["phone"]), owner
    if full_bank:
        assert "*" not in enterprise["bankAccount"]
    else:
        assert MASKED_BANK.match(enterprise["bankAccount"]), enterprise


async def test_anonymous_directory_shows_no_bank_account(tiny: RunningApp) -> None:
    body = await tiny.client().execute(
        "{ enterprises(first: 1) { edges { node { name bankAccount } } } }"
    )
    assert body["errors"][0]["message"] == "Cannot query field 'bankAccount' on type 'Enterprise'."


async def _username(app: RunningApp, role: str) -> str:
    from sqlalchemy import select

    from propgraph.models import Account

    async with app.services.engine.connect() as conn:
        return (
            await conn.execute(
                select(Account.username)
                .where(Account.role == role, Account.disabled.is_(False))
                .order_by(Account.id)
                .limit(1)
            )
        ).scalar_one()
