"""One schema per role: what each may use, shown by introspection, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from graphql import build_client_schema, get_introspection_query, print_schema

from propgraph.authz.permissions import SCHEMA_ROLES
from propgraph.authz.policy import default_enforcer
from propgraph.cli import main
from propgraph.schema.build import build_role_schemas
from tests.support.app import RunningApp

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
ROLE_USER = {
    "CITY": "city_head",
    "DISTRICT": "district_440303_clerk",
    "STREET": "street_440303001_head",
    "COMMUNITY": "community_440303001001_clerk",
    "ENTERPRISE": "enterprise_1",
    "MANAGER": "manager_P440303001001001",
    "OWNER": None,  # looked up: the first owner account
    "DELEGATE": None,
    "PUBLIC": None,
}


@pytest.fixture(scope="module")
def schemas() -> dict:
    return build_role_schemas(default_enforcer())[1]


@pytest.mark.parametrize("role", SCHEMA_ROLES)
def test_schema_matches_the_committed_snapshot(schemas: dict, role: str) -> None:
    # A change to any role's schema must show in review as a snapshot change.
    printed = str(schemas[role]) + "\n"
    path = SNAPSHOTS / f"schema-{role}.graphql"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(printed, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == printed, "run with UPDATE_SNAPSHOTS=1 to accept"


def test_cli_prints_nine_different_schemas(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"PROPGRAPH_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    printed = {}
    for role in SCHEMA_ROLES:
        result = runner.invoke(main, ["schema", "--role", role], env=env)
        assert result.exit_code == 0, result.output
        printed[role] = result.output
    assert len(set(printed.values())) == 9
    assert "reviewSubsidyApplication" in printed["STREET"]
    assert "reviewSubsidyApplication" not in printed["MANAGER"]
    assert "type District" not in printed["STREET"]


async def _username(app: RunningApp, role: str) -> str | None:
    from sqlalchemy import select

    from propgraph.models import Account

    if role == "PUBLIC":
        return None
    async with app.services.engine.connect() as conn:
        return (
            await conn.execute(
                select(Account.username)
                .where(Account.role == role, Account.disabled.is_(False))
                .order_by(Account.id)
                .limit(1)
            )
        ).scalar_one()


@pytest.mark.parametrize("role", SCHEMA_ROLES)
async def test_introspection_shows_the_callers_schema(
    tiny: RunningApp, schemas: dict, role: str
) -> None:
    # given a caller of the role
    client = tiny.client(await _username(tiny, role))
    # when it introspects
    result = await client.data(get_introspection_query(descriptions=True))
    # then it sees exactly its role's schema
    assert print_schema(build_client_schema(result)) == print_schema(schemas[role]._schema)


HIDDEN = [
    # (role, a query touching something only other roles have, the same with a name that exists nowhere)
    (
        "STREET",
        "{ districts { totalCount } }",
        "{ nowhereField { totalCount } }",
        "districts",
        "nowhereField",
    ),
    (
        "COMMUNITY",
        "{ streets { totalCount } }",
        "{ nowhereField { totalCount } }",
        "streets",
        "nowhereField",
    ),
    (
        "MANAGER",
        "{ projects { edges { node { community { id } } } } }",
        "{ projects { edges { node { nowhere { id } } } } }",
        "community",
        "nowhere",
    ),
    (
        "OWNER",
        "{ projects { edges { node { stats { units } } } } }",
        "{ projects { edges { node { nowhere { units } } } } }",
        "stats",
        "nowhere",
    ),
    (
        "PUBLIC",
        "{ projects { edges { node { buildings { totalCount } } } } }",
        "{ projects { edges { node { nowhere { totalCount } } } } }",
        "buildings",
        "nowhere",
    ),
    (
        "STREET",
        '{ node(id: "x") { ... on District { name } } }',
        '{ node(id: "x") { ... on Nowhere { name } } }',
        "District",
        "Nowhere",
    ),
    (
        "MANAGER",
        'mutation { reviewSubsidyApplication(input: {id: "x", version: 1, decision: APPROVE}) { errors { code } } }',
        'mutation { nowhereMutation(input: {id: "x", version: 1, decision: APPROVE}) { errors { code } } }',
        "reviewSubsidyApplication",
        "nowhereMutation",
    ),
    (
        "ENTERPRISE",
        "{ subsidyBatches { totalCount } }",
        "{ nowhereField { totalCount } }",
        "subsidyBatches",
        "nowhereField",
    ),
    (
        "DELEGATE",
        "{ me { delegations { ownerName } } }",
        "{ me { nowhere { ownerName } } }",
        "delegations",
        "nowhere",
    ),
    (
        "OWNER",
        "{ me { delegation { ownerName } } }",
        "{ me { nowhere { ownerName } } }",
        "delegation",
        "nowhere",
    ),
]


@pytest.mark.parametrize(("role", "hidden", "missing", "hidden_name", "missing_name"), HIDDEN)
async def test_hidden_is_indistinguishable_from_nonexistent(
    tiny: RunningApp, role: str, hidden: str, missing: str, hidden_name: str, missing_name: str
) -> None:
    client = tiny.client(await _username(tiny, role))
    hidden_body = await client.execute(hidden)
    missing_body = await client.execute(missing)
    # the same errors, word for word, but for the name asked for
    assert hidden_body["data"] is None and missing_body["data"] is None
    hidden_errors = [e["message"].replace(hidden_name, "NAME") for e in hidden_body["errors"]]
    missing_errors = [e["message"].replace(missing_name, "NAME") for e in missing_body["errors"]]
    assert hidden_errors == missing_errors


MISSPELT = [
    ("field", "{ projets { totalCount } }", None),
    ("argument", "{ projects(frist: 1) { totalCount } }", None),
    ("type", "{ projects { edges { node { ... on Projet { name } } } } }", None),
    ("enum value", "{ projects(filter: {kind: RESIDENTAL}) { totalCount } }", None),
    ("input field", "{ projects(filter: {kindd: RESIDENTIAL}) { totalCount } }", None),
    (
        "variable value",
        "query($k: ProjectKind) { projects(filter: {kind: $k}) { totalCount } }",
        {"k": "RESIDENTAL"},
    ),
    (
        "variable input field",
        "query($f: ProjectFilter) { projects(filter: $f) { totalCount } }",
        {"f": {"nameContain": "x"}},
    ),
    ("hidden field close to a visible one", "{ me { delegation { ownerName } } }", None),
]


@pytest.mark.parametrize(("what", "query", "variables"), MISSPELT, ids=[m[0] for m in MISSPELT])
@pytest.mark.parametrize("role", ["OWNER", "PUBLIC", "CITY"])
async def test_no_error_suggests_names(
    tiny: RunningApp, role: str, what: str, query: str, variables: dict | None
) -> None:
    body = await tiny.client(await _username(tiny, role)).execute(query, variables)
    assert body.get("errors"), f"{what} was accepted"
    for error in body["errors"]:
        assert "did you mean" not in error["message"].lower(), error["message"]


def test_each_roles_cut_down_policy_decides_as_the_whole_policy() -> None:
    from propgraph.authz.policy import RolePolicy

    enforcer = default_enforcer()
    schemas = build_role_schemas(enforcer)[1]
    city = schemas["CITY"]._schema
    objects = [
        f"{t.name}.{f}"
        for t in city.type_map.values()
        if hasattr(t, "fields") and not t.name.startswith("__")
        for f in t.fields
    ]
    for role in SCHEMA_ROLES:
        policy = RolePolicy(role, enforcer)
        for position in (None, "HEAD", "CLERK"):
            sub = f"{role}:{position}" if position else role
            for obj in objects:
                for act in ("read", "mask", "call"):
                    assert policy._enforce(sub, obj, act) == enforcer.enforce(sub, obj, act), (
                        sub,
                        obj,
                        act,
                    )
