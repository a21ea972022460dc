"""The command line of CONTRACT.md: migrate, seed, users, token, serve's refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from propgraph.cli import main
from propgraph.schema.relay import from_global_id
from propgraph.tokens import TokenCodec
from tests.support.app import TEST_SECRET
from tests.support.databases import TestDatabases

ROLES = {"CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE"}
SCOPE_TYPE = {
    "DISTRICT": "District",
    "STREET": "Street",
    "COMMUNITY": "Community",
    "ENTERPRISE": "Enterprise",
    "MANAGER": "Project",
    "OWNER": "Owner",
    "DELEGATE": "Project",
}


def run(*args: str, url: str, secret: str | None = TEST_SECRET) -> object:
    env = {"PROPGRAPH_DATABASE_URL": url}
    if secret:
        env["PROPGRAPH_JWT_SECRET"] = secret
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
async def unmigrated_url(databases: TestDatabases) -> str:
    return await databases.empty(migrated=False)


def test_migrate_then_seed_then_refuse_then_reset(unmigrated_url: str) -> None:
    # seed refuses a database that is not migrated
    refused = run("seed", "--scale", "tiny", url=unmigrated_url)
    assert refused.exit_code == 1 and "propgraph migrate" in refused.output
    assert run("migrate", url=unmigrated_url).exit_code == 0
    assert run("migrate", url=unmigrated_url).exit_code == 0  # twice is harmless
    first = run("seed", "--scale", "tiny", url=unmigrated_url)
    assert first.exit_code == 0, first.output
    assert "192 units" in first.output
    again = run("seed", "--scale", "tiny", url=unmigrated_url)
    assert again.exit_code == 1 and "--reset" in again.output
    reset = run("seed", "--scale", "tiny", "--reset", url=unmigrated_url)
    assert reset.exit_code == 0, reset.output


def test_users_json_lists_every_role_with_its_scope(tiny_db_url: str) -> None:
    result = run("users", "--json", url=tiny_db_url)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert {tuple(sorted(line)) for line in lines} == {
        ("position", "role", "scope_id", "scope_name", "username")
    }
    assert {line["role"] for line in lines} == ROLES
    for line in lines:
        if line["role"] == "CITY":
            assert line["scope_id"] is None
        else:
            type_name, _ = from_global_id(line["scope_id"])
            assert type_name == SCOPE_TYPE[line["role"]], line
            assert line["scope_name"]
        office = line["role"] in {"CITY", "DISTRICT", "STREET", "COMMUNITY"}
        assert (line["position"] in {"HEAD", "CLERK"}) if office else line["position"] is None
    only = run("users", "--role", "street", "--json", url=tiny_db_url)
    assert {json.loads(x)["role"] for x in only.output.splitlines()} == {"STREET"}


def test_token_prints_a_verifiable_token(tiny_db_url: str) -> None:
    result = run("token", "city_head", "--ttl", "120", url=tiny_db_url)
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    codec = TokenCodec("HS256", TEST_SECRET, TEST_SECRET, "propgraph")
    assert codec.verify(token) == "city_head"
    import jwt

    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120


def test_token_refuses_unknown_and_disabled_accounts_and_missing_keys(tiny_db_url: str) -> None:
    assert run("token", "nobody", url=tiny_db_url).exit_code == 1
    assert "disabled" in run("token", "disabled_clerk", url=tiny_db_url).output
    no_key = run("token", "city_head", url=tiny_db_url, secret=None)
    assert no_key.exit_code == 1 and "PROPGRAPH_JWT_SECRET" in no_key.output


def test_serve_refuses_without_a_secret_or_on_an_outdated_database(
    tiny_db_url: str, unmigrated_url: str
) -> None:
    no_secret = run("serve", url=tiny_db_url, secret=None)
    assert no_secret.exit_code == 1 and "PROPGRAPH_JWT_SECRET" in no_secret.output
    unmigrated = run("serve", url=unmigrated_url)
    assert unmigrated.exit_code == 1 and "propgraph migrate" in unmigrated.output


def test_schema_prints_sdl_without_a_database(tmp_path: Path) -> None:
    result = run("schema", "--role", "MANAGER", url=f"sqlite:///{tmp_path / 'absent.db'}")
    assert result.exit_code == 0
    assert "submitSubsidyApplication" in result.output
    assert not (tmp_path / "absent.db").exists()
