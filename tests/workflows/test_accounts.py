"""Presetting and disabling accounts: the two-position rule, every escalation refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text

from propgraph.models import Account, AuditEntry, Community, Project, Street
from propgraph.schema.relay import to_global_id
from propgraph.workflows.accounts import Relation, preset_relation
from tests.support.office import Office

CREATE = """mutation($input: CreateAccountInput!) { createAccount(input: $input) {
  account { id username name phone role position disabled scope { id } }
  errors { code field message } } }"""
DISABLE = """mutation($input: SetAccountDisabledInput!) { setAccountDisabled(input: $input) {
  account { id username disabled } errors { code field message } } }"""
ACCOUNTS = """query($filter: AccountFilter) { accounts(first: 500, filter: $filter) {
  totalCount edges { node { id username role position disabled } } } }"""
ME = "{ me { username } }"
TABLES = ("accounts", "audit_entries", "notifications")

OFFICES = ("CITY", "DISTRICT", "STREET", "COMMUNITY")


def test_the_rule_as_a_table() -> None:
    # every office head: its own clerks and the heads one level down, nothing else
    for level, role in enumerate(OFFICES):
        below = OFFICES[level + 1] if level + 1 < len(OFFICES) else None
        for target in (*OFFICES, "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE"):
            for position in (None, "HEAD", "CLERK"):
                expected = None
                if target == role and position == "CLERK":
                    expected = Relation.OWN
                elif target == below and position == "HEAD":
                    expected = Relation.BELOW
                assert preset_relation(role, "HEAD", target, position) == expected
                assert preset_relation(role, "CLERK", target, position) is None
    assert preset_relation("ENTERPRISE", None, "MANAGER", None) == Relation.PROJECT
    for creator in ("MANAGER", "OWNER", "DELEGATE"):
        assert preset_relation(creator, None, "MANAGER", None) is None
    assert preset_relation("ENTERPRISE", None, "ENTERPRISE", None) is None


def new(role: str, position: str | None, scope: str | None, username: str) -> dict[str, Any]:
    return {
        "username": username,
        "name": "张三",
        "phone": "13912345678",
        "role": role,
        "position": position,
        "scopeId": scope,
    }


async def state(office: Office) -> dict[str, list]:
    found = {}
    async with office.app.services.engine.connect() as conn:
        for name in TABLES:
            rows = await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))
            found[name] = [tuple(row) for row in rows]
    return found


async def refused(office: Office, who: str, mutation: str, input: dict[str, Any]) -> str:
    before = await state(office)
    payload = await office.call(who, mutation, input)
    assert len(payload["errors"]) == 1, payload
    assert payload["account"] is None
    assert await state(office) == before
    return payload["errors"][0]["code"]


async def nodes(office: Office) -> dict[str, Any]:
    """The project's chain and nodes beside it, as global ids."""
    async with office.app.services.engine.connect() as conn:
        project = (await conn.execute(select(Project).where(Project.id == 1))).one()
        other_street = await conn.scalar(
            select(func.min(Street.id)).where(Street.district_id != project.district_id)
        )
        near_street = await conn.scalar(
            select(func.min(Street.id)).where(
                Street.district_id == project.district_id, Street.id != project.street_id
            )
        )
        other_community = await conn.scalar(
            select(func.min(Community.id)).where(Community.street_id != project.street_id)
        )
        foreign_project = await conn.scalar(
            select(func.min(Project.id)).where(Project.enterprise_id != project.enterprise_id)
        )
    return {
        "district": to_global_id("District", project.district_id),
        "street": to_global_id("Street", project.street_id),
        "near_street": to_global_id("Street", near_street),
        "other_street": to_global_id("Street", other_street),
        "community": to_global_id("Community", project.community_id),
        "other_community": to_global_id("Community", other_community),
        "project": to_global_id("Project", project.id),
        "foreign_project": to_global_id("Project", foreign_project),
        "enterprise_id": project.enterprise_id,
    }


async def test_every_level_presets_its_clerks_and_the_heads_below(office: Office) -> None:
    n = await nodes(office)
    cases = [
        ("city", "CITY", "CLERK", None),
        ("city", "DISTRICT", "HEAD", n["district"]),
        ("district:HEAD", "DISTRICT", "CLERK", None),
        ("district:HEAD", "STREET", "HEAD", n["street"]),
        ("street:HEAD", "STREET", "CLERK", n["street"]),
        ("street:HEAD", "COMMUNITY", "HEAD", n["community"]),
        ("community:HEAD", "COMMUNITY", "CLERK", None),
    ]
    for i, (who, role, position, scope) in enumerate(cases):
        payload = await office.ok(who, CREATE, new(role, position, scope, f"preset_{i}"))
        account = payload["account"]
        assert (account["role"], account["position"], account["disabled"]) == (
            role,
            position,
            False,
        )
        if role != "CITY":
            assert account["scope"]["id"] == scope or (scope is None and account["scope"])
        # the new account signs in at once, with its own role
        assert (await office.data(f"preset_{i}", ME))["me"]["username"] == f"preset_{i}"
    # each creation is audited and texted to the new account's phone
    async with office.app.services.engine.connect() as conn:
        audited = await conn.scalar(
            select(func.count()).select_from(AuditEntry).where(
                AuditEntry.subject_type == "Account", AuditEntry.action == "account.create"
            )
        )  # fmt: skip
    assert audited == len(cases)


async def test_an_enterprise_presets_one_manager_per_project(office: Office) -> None:
    n = await nodes(office)
    async with office.app.services.engine.begin() as conn:  # the project loses its manager
        await conn.execute(
            Account.__table__.delete().where(Account.role == "MANAGER", Account.project_id == 1)
        )
    payload = await office.ok("enterprise", CREATE, new("MANAGER", None, n["project"], "mgr_new"))
    assert payload["account"]["scope"]["id"] == n["project"]
    # one per project
    again = new("MANAGER", None, n["project"], "mgr_twice")
    assert await refused(office, "enterprise", CREATE, again) == "DUPLICATE"
    # another enterprise's project is outside its scope
    foreign = new("MANAGER", None, n["foreign_project"], "mgr_foreign")
    assert await refused(office, "enterprise", CREATE, foreign) == "NOT_FOUND"


@pytest.mark.parametrize(
    ("who", "role", "position", "scope"),
    [
        # clerks preset nothing
        ("city_clerk", "CITY", "CLERK", None),
        ("district:CLERK", "DISTRICT", "CLERK", None),
        ("street:CLERK", "COMMUNITY", "HEAD", "community"),
        ("community:CLERK", "COMMUNITY", "CLERK", None),
        # a head does not make heads of its own level, nor skip a level, nor go up
        ("city", "CITY", "HEAD", None),
        ("district:HEAD", "DISTRICT", "HEAD", "district"),
        ("district:HEAD", "COMMUNITY", "HEAD", "community"),
        ("district:HEAD", "STREET", "CLERK", "street"),
        ("street:HEAD", "DISTRICT", "HEAD", "district"),
        ("street:HEAD", "CITY", "CLERK", None),
        ("community:HEAD", "COMMUNITY", "HEAD", "community"),
        ("community:HEAD", "STREET", "CLERK", "street"),
        # nobody presets enterprises, owners or delegates; managers come from enterprises
        ("city", "ENTERPRISE", None, None),
        ("city", "OWNER", None, None),
        ("street:HEAD", "MANAGER", None, "project"),
        ("enterprise", "ENTERPRISE", None, None),
        ("enterprise", "COMMUNITY", "HEAD", "community"),
    ],
)
async def test_escalations_are_forbidden(
    office: Office, who: str, role: str, position: str | None, scope: str | None
) -> None:
    n = await nodes(office)
    input = new(role, position, n[scope] if scope else None, "escalated")
    assert await refused(office, who, CREATE, input) == "FORBIDDEN"


@pytest.mark.parametrize(
    ("who", "role", "position", "scope"),
    [
        ("district:HEAD", "STREET", "HEAD", "other_street"),  # another district's street
        ("street:HEAD", "COMMUNITY", "HEAD", "other_community"),
        ("street:HEAD", "STREET", "CLERK", "near_street"),  # a clerk of another office
        ("other_street:HEAD", "COMMUNITY", "HEAD", "community"),
    ],
)
async def test_a_scope_outside_ones_own_is_not_found(
    office: Office, who: str, role: str, position: str | None, scope: str
) -> None:
    n = await nodes(office)
    input = new(role, position, n[scope], "outside")
    assert await refused(office, who, CREATE, input) == "NOT_FOUND"


async def test_bad_shapes_and_duplicates(office: Office) -> None:
    n = await nodes(office)
    good = new("COMMUNITY", "HEAD", n["community"], "fine_name")
    for field, value in [
        ("username", "Bad Name"),
        ("username", "ab"),
        ("username", "张三"),
        ("username", "9lives"),
        ("phone", "1381234567"),
        ("phone", "23812345678"),
        ("phone", "１３８１２３４５６７８"),
        ("name", "  "),
    ]:
        payload = await office.call("street:HEAD", CREATE, {**good, field: value})
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", field)]
    assert await refused(office, "street:HEAD", CREATE, {**good, "position": None}) == "VALIDATION"
    wrong_type = {**good, "scopeId": n["street"]}
    assert await refused(office, "street:HEAD", CREATE, wrong_type) == "VALIDATION"
    taken = {**good, "username": office.people["community:CLERK"]}
    assert await refused(office, "street:HEAD", CREATE, taken) == "DUPLICATE"
    await office.ok("street:HEAD", CREATE, good)


async def test_disabling_follows_the_same_rule_and_takes_effect_at_once(office: Office) -> None:
    n = await nodes(office)
    head = (
        await office.ok("street:HEAD", CREATE, new("COMMUNITY", "HEAD", n["community"], "c_h"))
    )["account"]
    assert (await office.data("c_h", ME))["me"]["username"] == "c_h"
    # escalations: a clerk, a head of the same level, a head two levels up are refused
    assert await refused(office, "street:CLERK", DISABLE, {"id": head["id"], "disabled": True}) == (
        "FORBIDDEN"
    )
    assert await refused(office, "city", DISABLE, {"id": head["id"], "disabled": True}) == (
        "FORBIDDEN"
    )
    assert await refused(
        office, "other_street:HEAD", DISABLE, {"id": head["id"], "disabled": True}
    ) == ("NOT_FOUND")
    # the street head switches it off: the next request is refused
    off = await office.ok("street:HEAD", DISABLE, {"id": head["id"], "disabled": True})
    assert off["account"]["disabled"] is True
    response = await office.app.client("c_h").post(ME)
    assert response.status_code == 401
    # and on again
    await office.ok("street:HEAD", DISABLE, {"id": head["id"], "disabled": False})
    assert (await office.data("c_h", ME))["me"]["username"] == "c_h"
    async with office.app.services.engine.connect() as conn:
        actions = list(
            (
                await conn.execute(
                    select(AuditEntry.action, AuditEntry.to_status)
                    .where(AuditEntry.subject_type == "Account")
                    .order_by(AuditEntry.id)
                )
            ).all()
        )
    assert [tuple(a) for a in actions] == [
        ("account.create", "ENABLED"),
        ("account.disable", "DISABLED"),
        ("account.enable", "ENABLED"),
    ]


async def test_the_accounts_list_is_scoped(office: Office) -> None:
    street = (await office.data("street:CLERK", ACCOUNTS))["accounts"]["edges"]
    roles = {e["node"]["role"] for e in street}
    assert roles == {"STREET", "COMMUNITY", "MANAGER"}
    heads = await office.data("street:HEAD", ACCOUNTS, {"filter": {"position": "HEAD"}})
    assert {e["node"]["position"] for e in heads["accounts"]["edges"]} == {"HEAD"}
    enterprise = (await office.data("enterprise", ACCOUNTS))["accounts"]["edges"]
    assert {e["node"]["role"] for e in enterprise} == {"ENTERPRISE", "MANAGER"}
    city = (await office.data("city", ACCOUNTS))["accounts"]["totalCount"]
    async with office.app.services.engine.connect() as conn:
        assert city == await conn.scalar(select(func.count()).select_from(Account))
    # roles without the list do not have the field at all
    for who in ("manager", "owner"):
        client = office.app.client(office.people[who])
        for query, variables in [
            (ACCOUNTS, None),
            (CREATE, {"input": new("MANAGER", None, None, "x")}),
        ]:
            response = await client.execute(query, variables)
            assert response["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
