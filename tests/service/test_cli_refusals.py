"""A newcomer's mistakes end in one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from propgraph.cli import DEV_SECRET_FILE, _dev_secret, main
from tests.support.app import TEST_SECRET, running_app

ME = "{ me { username } }"
BAD_URLS = [
    pytest.param("postgresql://nobody:pw@127.0.0.1:1/propgraph", "cannot connect", id="refused"),
    pytest.param("postgresq://nobody@127.0.0.1/propgraph", "not a database URL", id="misspelled"),
    pytest.param("propgraph.db", "not a database URL", id="no-scheme"),
    pytest.param("sqlite:////no/such/folder/propgraph.db", "no folder", id="no-folder"),
]


def run(*args: str, url: str, secret: str | None = TEST_SECRET) -> Result:
    env = {"PROPGRAPH_DATABASE_URL": url, "PROPGRAPH_JWT_SECRET": secret}
    return CliRunner().invoke(main, list(args), env=env)


def one_line(result: Result) -> str:
    """The whole output, asserted to be a single line after a failure."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


async def test_token_after_demo_uses_the_demo_secret(tiny_db_url: str, in_tmp: Path) -> None:
    # given the development secret `propgraph demo` keeps in its folder, and no key configured
    secret = _dev_secret()
    assert (in_tmp / DEV_SECRET_FILE).read_text().strip() == secret
    # when a token is asked for in that folder
    result = await asyncio.to_thread(run, "token", "city_head", url=tiny_db_url, secret=None)
    # then it is signed with that secret, so the demo server accepts it
    assert result.exit_code == 0, result.output
    async with running_app(tiny_db_url, jwt_secret=secret) as app:
        data = await app.client(token=result.stdout.strip()).data(ME)
    assert data["me"] == {"username": "city_head"}


@pytest.mark.parametrize(("url", "says"), BAD_URLS)
@pytest.mark.parametrize("command", ["migrate", "serve", "demo"])
def test_a_bad_database_url_is_one_line(command: str, url: str, says: str, in_tmp: Path) -> None:
    args = [command] if command == "migrate" else [command, "--port", free_port()]
    line = one_line(run(*args, url=url))
    assert says in line
    assert "pw" not in line  # a password is never printed


def test_demo_checks_the_port_before_anything(
    taken_port: int, in_tmp: Path, tiny_db_url: str
) -> None:
    line = one_line(run("demo", "--port", str(taken_port), url=tiny_db_url, secret=None))
    assert f"port {taken_port}" in line and "already in use" in line
    assert not list(in_tmp.iterdir())  # nothing printed, nothing written: no secret, no database


def test_serve_checks_the_port_too(taken_port: int, tiny_db_url: str) -> None:
    line = one_line(run("serve", "--port", str(taken_port), url=tiny_db_url))
    assert "already in use" in line


@pytest.mark.parametrize(
    "args", [["token", "city_head"], ["serve", "--port", "0"], ["demo", "--port", "0"]]
)
def test_a_short_secret_is_refused(args: list[str], tiny_db_url: str, in_tmp: Path) -> None:
    line = one_line(run(*args, url=tiny_db_url, secret="x" * 31))
    assert "31 bytes" in line and "at least 32" in line


@pytest.mark.parametrize("ttl", ["-5", "0"])
def test_a_token_that_would_be_born_expired_is_refused(ttl: str, tiny_db_url: str) -> None:
    line = one_line(run("token", "city_head", "--ttl", ttl, url=tiny_db_url))
    assert "--ttl must be a positive number of seconds" in line
