"""Headless Chromium against a real uvicorn server on 127.0.0.1, with the internet cut off.

Skipped when playwright or Chromium is missing, unless PROPGRAPH_BROWSER_TESTS=required
(as in .ci/run), where that is a failure. Playwright drives the system's Chromium
(``apt-get install chromium``); it never downloads a browser of its own.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from propgraph.accounts import list_accounts
from propgraph.db import create_engine
from propgraph.playground import demo_accounts
from tests.support.app import token_for
from tests.support.databases import TestDatabases

CHROMIUM = os.environ.get("PROPGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1"}
ARTIFACTS = Path(__file__).parent / "artifacts"
REPO = Path(__file__).parents[2]
UVICORN = [sys.executable, "-m", "uvicorn", "--factory", "tests.browser.server:create"]


def _missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[browser]'"
    if not (shutil.which(CHROMIUM) or os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set PROPGRAPH_CHROMIUM)"
    return None


def require_browser() -> None:
    """Skip the calling test module without playwright or Chromium (fail it when required)."""
    missing = _missing()
    if not missing:
        return
    if os.environ.get("PROPGRAPH_BROWSER_TESTS") == "required":
        pytest.fail(f"browser tests are required here, but {missing}", pytrace=False)
    pytest.skip(f"browser tests skipped: {missing}", allow_module_level=True)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require_browser()
    return shutil.which(CHROMIUM) or CHROMIUM


@dataclass
class LiveServer:
    base: str
    accounts: list[dict[str, Any]]
    database_url: str

    def account(self, role: str) -> tuple[str, dict[str, Any]]:
        """The picker's value (its index) and entry of the first account of ``role``."""
        index = next(i for i, a in enumerate(self.accounts) if a["role"] == role)
        return str(index), self.accounts[index]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
async def live_server(
    chromium_path: str,
    databases: TestDatabases,
    tiny_template_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[LiveServer]:
    # A copy of its own: the dashboard's live to-do test changes data.
    tiny_db_url = await databases.copy(tiny_template_url)
    engine = create_engine(tiny_db_url)
    try:
        accounts = demo_accounts(await list_accounts(engine), token_for)
    finally:
        await engine.dispose()
    folder = tmp_path_factory.mktemp("browser-server")
    (folder / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROPGRAPH_")}
    env |= {
        "PROPGRAPH_BROWSER_DATABASE_URL": tiny_db_url,
        "PROPGRAPH_BROWSER_ACCOUNTS": str(folder / "accounts.json"),
        "PYTHONPATH": str(REPO),
    }
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [*UVICORN, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as http:
            while True:
                assert process.poll() is None, (folder / "server.log").read_text()
                try:
                    if (await http.get(f"{base}/healthz", timeout=1)).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start within a minute"
                await asyncio.sleep(0.2)
        yield LiveServer(base, accounts, tiny_db_url)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@dataclass
class Offline:
    """Every request the page tried to send to a host other than 127.0.0.1 (all aborted)."""

    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        await browser.close()


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
async def page(browser: Any, live_server: LiveServer, offline: Offline) -> AsyncIterator[Any]:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})

    async def only_loopback(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOOPBACK:
            await route.continue_()
        else:
            offline.blocked.append(url)
            await route.abort("internetdisconnected")

    await context.route("**/*", only_loopback)
    page = await context.new_page()
    page.on("pageerror", lambda error: offline.page_errors.append(str(error)))
    yield page
    await context.close()


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Any:
    """Save a screenshot under tests/browser/artifacts/ (git-ignored) and print its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    async def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        await page.screenshot(path=path, full_page=True)
        print(f"screenshot: {path}")
        return path

    return take


async def graphql_as(
    base: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> Any:
    """The data of one operation sent to the live server, asserting no error."""
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=20,
        )
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]


async def demo_round_id(base: str) -> str:
    """The demo's subsidy round, opened by the city head if it is not open yet."""
    from propgraph.datasets.workflow import DEMO_ROUND
    from tests.support.subsidy import OPEN_ROUND

    city = token_for("city_head")
    rounds = (await graphql_as(base, city, "{ subsidyRounds { id name } }"))["subsidyRounds"]
    round_id = next((r["id"] for r in rounds if r["name"] == DEMO_ROUND["name"]), None)
    if round_id is None:
        opened = await graphql_as(base, city, OPEN_ROUND, {"input": DEMO_ROUND})
        round_id = opened["openSubsidyRound"]["round"]["id"]
    return str(round_id)


async def fresh_manager(server: LiveServer) -> tuple[str, dict[str, Any], Any]:
    """A picker MANAGER whose project has not applied in the open demo round yet.

    Returns its picker value, its entry, and a coroutine function that has the
    project's enterprise create the application (a new pending to-do for the manager).
    """
    from sqlalchemy import select

    from propgraph.models import Account, Project, SubsidyApplication
    from tests.support.subsidy import CREATE

    round_id = await demo_round_id(server.base)
    engine = create_engine(server.database_url)
    try:  # drafts are the enterprise's and manager's alone: ask the tables
        async with engine.connect() as conn:
            taken = set(
                await conn.scalars(
                    select(Account.username)
                    .join(SubsidyApplication, SubsidyApplication.project_id == Account.project_id)
                    .where(Account.role == "MANAGER")
                )
            )
    finally:
        await engine.dispose()
    for index, entry in enumerate(server.accounts):
        if entry["role"] != "MANAGER" or entry["username"] in taken:
            continue
        engine = create_engine(server.database_url)
        try:
            async with engine.connect() as conn:
                project = (
                    await conn.execute(
                        select(Project)
                        .join(Account, Account.project_id == Project.id)
                        .where(Account.username == entry["username"])
                    )
                ).one()
                enterprise = await conn.scalar(
                    select(Account.username)
                    .where(
                        Account.role == "ENTERPRISE", Account.enterprise_id == project.enterprise_id
                    )
                    .order_by(Account.id)
                )
        finally:
            await engine.dispose()

        async def create(
            project: Any = project,
            enterprise: str = enterprise,
            project_id: str = entry["scope_id"],
        ) -> None:
            data = await graphql_as(
                server.base,
                token_for(enterprise),
                CREATE,
                {
                    "input": {
                        "roundId": round_id,
                        "projectId": project_id,
                        "managerName": "李明",
                        "managerPhone": "13800138000",
                        "propertyType": project.kind.value,
                    }
                },
            )
            assert data["createSubsidyApplication"]["errors"] == []

        return str(index), entry, create
    raise AssertionError("every picker MANAGER has applied already")
