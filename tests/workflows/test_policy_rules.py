"""Policy rules edited at run time by the CITY HEAD: enforced and shown by the next request.

One process here (SQLite, or one app on PostgreSQL); tests/service/test_live_policy.py
runs two real servers on one PostgreSQL database.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select, text

from propgraph.authz.viewer import AccountRow
from propgraph.db import write_transaction
from propgraph.models import Account, AuditEntry
from propgraph.workflows import policy_rules
from propgraph.workflows.errors import ErrorCode, MutationError
from tests.support.office import Office

RULES = """query($subject: String) { policyRules(subject: $subject) {
  subject object action effect } }"""
ADD = """mutation($input: PolicyRuleInput!) { addPolicyRule(input: $input) {
  rule { subject object action effect } errors { code field message } } }"""
REMOVE = """mutation($input: PolicyRuleInput!) { removePolicyRule(input: $input) {
  rule { subject object action effect } errors { code field message } } }"""
FIELDS = """{ __type(name: "Query") { fields { name } } }"""
MANAGER_ACCOUNTS = "{ accounts { totalCount } }"
TABLES = ("casbin_rule", "audit_entries")
CLERK = "city_clerk"


def rule(subject: str, object: str, action: str = "read", effect: str = "allow") -> dict[str, str]:
    return {"subject": subject, "object": object, "action": action, "effect": effect}


async def state(office: Office) -> dict[str, list]:
    found = {}
    async with office.app.services.engine.connect() as conn:
        for name in TABLES:
            rows = await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))
            found[name] = [tuple(row) for row in rows]
    return found


async def refused(office: Office, who: str, mutation: str, input: dict[str, Any]) -> tuple:
    before = await state(office)
    payload = await office.call(who, mutation, input)
    assert len(payload["errors"]) == 1 and payload["rule"] is None, payload
    assert await state(office) == before
    error = payload["errors"][0]
    return error["code"], error["field"]


async def query_fields(office: Office, who: str) -> set[str]:
    data = await office.data(who, FIELDS)
    return {f["name"] for f in data["__type"]["fields"]}


async def test_the_city_reads_the_policy(office: Office) -> None:
    everything = (await office.data(CLERK, RULES))["policyRules"]
    assert rule("CITY:HEAD", "Mutation.addPolicyRule", "call") in everything
    street = (await office.data(CLERK, RULES, {"subject": "STREET"}))["policyRules"]
    assert street and all(r["subject"] == "STREET" for r in street)
    # text the database cannot take is refused before any statement
    for bad in ("STREET\x00", "S" * 300):
        response = await office.app.client(CLERK).execute(RULES, {"subject": bad})
        assert response["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # nobody else has the field
    for who in ("district:HEAD", "enterprise", "manager"):
        response = await office.app.client(office.people[who]).execute(RULES)
        assert response["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_an_added_rule_is_enforced_and_shown_by_the_next_request(office: Office) -> None:
    manager = office.people["manager"]
    assert "accounts" not in await query_fields(office, manager)
    # when the city head gives managers the accounts list
    added = await office.ok("city", ADD, rule("MANAGER", "Query.accounts"))
    assert added["rule"] == rule("MANAGER", "Query.accounts")
    # then the manager's introspection shows it, and the field answers (nothing in scope)
    assert "accounts" in await query_fields(office, manager)
    assert (await office.data(manager, MANAGER_ACCOUNTS))["accounts"]["totalCount"] == 0
    # other roles' schemas are untouched: the same objects as before
    services = office.app.services
    street_schema = services.schemas["STREET"]
    # and removing it takes it away again
    await office.ok("city", REMOVE, rule("MANAGER", "Query.accounts"))
    assert "accounts" not in await query_fields(office, manager)
    assert services.schemas["STREET"] is street_schema
    # a mutation right removed is refused from the next request on
    publish = rule("OFFICE", "Mutation.publishNotice", "call")
    await office.ok("city", REMOVE, publish)
    response = await office.app.client(office.people["street:HEAD"]).execute(
        'mutation { publishNotice(input: {title: "t", body: "b"}) { errors { code } } }'
    )
    assert response["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    await office.ok("city", ADD, publish)
    async with services.engine.connect() as conn:
        audited = await conn.execute(
            text(
                "SELECT action, comment FROM audit_entries WHERE subject_type = 'PolicyRule' "
                "ORDER BY id"
            )
        )
        assert [tuple(a) for a in audited] == [
            ("policy.add", "MANAGER, Query.accounts, read, allow"),
            ("policy.remove", "MANAGER, Query.accounts, read, allow"),
            ("policy.remove", "OFFICE, Mutation.publishNotice, call, allow"),
            ("policy.add", "OFFICE, Mutation.publishNotice, call, allow"),
        ]


@pytest.mark.parametrize(
    ("mutation", "input", "expected"),
    [
        (ADD, rule("JANITOR", "Query.accounts"), ("VALIDATION", "subject")),
        (ADD, rule("OWNER:HEAD", "Query.accounts"), ("VALIDATION", "subject")),
        (ADD, rule("MANAGER", "accounts"), ("VALIDATION", "object")),
        (ADD, rule("MANAGER", "Query.accounts, read"), ("VALIDATION", "object")),
        (ADD, rule("MANAGER", "Query.accounts", "write"), ("VALIDATION", "action")),
        (ADD, rule("MANAGER", "Query.accounts", "call"), ("VALIDATION", "action")),
        (ADD, rule("MANAGER", "Mutation.createAccount", "read"), ("VALIDATION", "action")),
        (ADD, rule("MANAGER", "Query.accounts", "read", "maybe"), ("VALIDATION", "effect")),
        # a field hidden on a type but not on its interface: the schema cannot be built
        (ADD, rule("STREET", "Project.id", "read", "deny"), ("VALIDATION", "object")),
        (ADD, rule("ACCOUNT", "Query.me"), ("DUPLICATE", None)),
        (REMOVE, rule("MANAGER", "Query.accounts"), ("NOT_FOUND", None)),
        # the city head keeps its own rights to read and edit the policy
        (REMOVE, rule("CITY:HEAD", "Mutation.addPolicyRule", "call"), ("FORBIDDEN", None)),
        (ADD, rule("CITY", "Query.policyRules", "read", "deny"), ("FORBIDDEN", None)),
        (ADD, rule("CITY:HEAD", "Mutation.removePolicyRule", "call", "deny"), ("FORBIDDEN", None)),
        (ADD, rule("ACCOUNT", "Mutation.*", "call", "deny"), ("FORBIDDEN", None)),
    ],
)
async def test_changes_that_would_break_the_policy_are_refused(
    office: Office, mutation: str, input: dict[str, str], expected: tuple
) -> None:
    assert await refused(office, "city", mutation, input) == expected


async def test_only_the_city_head_edits(office: Office) -> None:
    assert await refused(office, CLERK, ADD, rule("MANAGER", "Query.accounts")) == (
        "FORBIDDEN",
        None,
    )
    response = await office.app.client(office.people["district:HEAD"]).execute(
        ADD, {"input": rule("MANAGER", "Query.accounts")}
    )
    assert response["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def _rows_of(office: Office, values: dict[str, str]) -> int:
    async with office.app.services.engine.connect() as conn:
        return await conn.scalar(
            text(
                "SELECT count(*) FROM casbin_rule WHERE ptype = 'p' AND v0 = :subject "
                "AND v1 = :object AND v2 = :action AND v3 = :effect"
            ),
            values,
        )


async def test_two_heads_adding_the_same_rule_at_once_leave_one_row(office: Office) -> None:
    # given two CITY HEAD requests adding the same rule at the same moment, three times over
    head = office.app.client(office.people["city"])
    for object_ in ("Query.accounts", "Query.evaluationFigures", "Query.tenderFigures"):
        wanted = rule("OWNER" if object_ != "Query.accounts" else "MANAGER", object_)
        # when both run
        answers = await asyncio.gather(*(head.data(ADD, {"input": wanted}) for _ in range(2)))
        # then one adds it, the other is told it is there already: one row, one audit entry
        errors = sorted((a["addPolicyRule"]["errors"] for a in answers), key=len)
        assert errors[0] == [] and [e["code"] for e in errors[1]] == ["DUPLICATE"], errors
        assert await _rows_of(office, wanted) == 1
        audit = await office.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.subject_type == "PolicyRule",
                AuditEntry.comment == ", ".join(wanted.values()),
            )
        )
        assert audit == 1


async def test_a_twin_that_passed_the_check_fails_on_the_index(office: Office) -> None:
    """On PostgreSQL both transactions may read the rows before either writes (READ
    COMMITTED): the unique index fails the second insert once the first commits. SQLite
    lets one writer in at a time, so the second reads the first's row and is refused."""
    engine = office.app.services.engine
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(Account).where(Account.username == office.people["city"]))
        ).one()
    actor = AccountRow.from_row(row)
    values = ("MANAGER", "Query.accounts", "read", "allow")
    both_read = engine.dialect.name == "postgresql"
    read = []
    real_rows = policy_rules._rows

    async def rows_then_wait(conn: Any) -> Any:
        found = await real_rows(conn)
        read.append(1)
        while both_read and len(read) < 2:  # both have read before either inserts
            await asyncio.sleep(0.01)
        return found

    async def add() -> None:
        async with engine.connect() as conn, write_transaction(conn):
            await policy_rules.change(
                conn, add=True, values=values, actor=actor, now=office.clock()
            )

    policy_rules._rows = rows_then_wait  # type: ignore[assignment]
    try:
        results = await asyncio.wait_for(
            asyncio.gather(add(), add(), return_exceptions=True), timeout=30
        )
    finally:
        policy_rules._rows = real_rows  # type: ignore[assignment]
    assert len(read) == 2
    failures = [r for r in results if r is not None]
    assert len(failures) == 1, results
    assert isinstance(failures[0], MutationError), failures
    assert failures[0].code == ErrorCode.DUPLICATE
    assert (
        await _rows_of(
            office, dict(zip(("subject", "object", "action", "effect"), values, strict=True))
        )
        == 1
    )


async def test_requests_are_answered_while_a_new_schema_is_built(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    live = office.app.services.extras["policy"]
    started, release = threading.Event(), threading.Event()
    build = live._build

    def held_build(key: Any, policy: Any) -> Any:
        started.set()
        release.wait(10)
        return build(key, policy)

    monkeypatch.setattr(live, "_build", held_build)
    manager = office.people["manager"]
    # when the city head's change makes the process rebuild the manager's schema
    adding = asyncio.create_task(office.ok("city", ADD, rule("MANAGER", "Query.accounts")))
    assert await asyncio.to_thread(started.wait, 10)
    # then, while it is being built, the process answers with the schema it has
    assert "accounts" not in await query_fields(office, manager)
    release.set()
    await adding
    # and the change is there from the next request on
    assert "accounts" in await query_fields(office, manager)
