"""The drill-down dashboard in headless Chromium: scoping, drilling, and the live to-do badge."""

from __future__ import annotations

import re
from typing import Any

from propgraph.clock import local_date, system_clock
from propgraph.datasets.demo import demo_chain
from propgraph.db import create_engine
from tests.browser.conftest import (
    LiveServer,
    Offline,
    demo_round_id,
    fresh_manager,
    graphql_as,
    require_browser,
)
from tests.support.app import token_for
from tests.support.subsidy import CREATE

require_browser()
from playwright.async_api import Page, expect  # noqa: E402  (only once it is known to be there)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
LEVELS = ["District", "Street", "Community", "Project", "Building"]


def _assert_offline(offline: Offline) -> None:
    assert offline.blocked == [], f"the page reached beyond 127.0.0.1: {offline.blocked}"
    assert offline.page_errors == []


async def _level(page: Page, level: str) -> None:
    await expect(page.locator("body")).to_have_attribute("data-level", level, timeout=15_000)
    await expect(page.locator("#status")).to_have_text("")


async def test_the_city_drills_down_to_a_building_and_back(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # given the dashboard signed in as a CITY account
    _, city = live_server.account("CITY")
    await page.goto(f"{live_server.base}/dashboard?as={city['username']}")
    await _level(page, "City")
    rows = page.locator("#children tr.drill")
    await expect(rows).to_have_count(2)  # tiny: two districts
    assert CHINESE.search(await rows.first.inner_text())  # names render in Chinese
    await expect(page.locator("#chart rect")).to_have_count(2)
    await expect(page.locator("#figures")).to_be_visible()
    await screenshot("city")

    # when each level's first row is clicked, the dashboard goes one level down
    for level in LEVELS:
        name = (await page.locator("#children tr.drill td").first.inner_text()).strip()
        await page.locator("#children tr.drill").first.click()
        await _level(page, level)
        await expect(page.locator("#crumbs b")).to_have_text(name)
    # then the building's units are listed, under a breadcrumb of six levels
    await expect(page.locator("#children tr")).to_have_count(1 + 4)  # header + 4 units
    await expect(page.locator("#crumbs a")).to_have_count(5)
    await screenshot("building")

    # and the breadcrumb's first link goes back up to the city
    await page.locator("#crumbs a").first.click()
    await _level(page, "City")
    await expect(page.locator("#children tr.drill")).to_have_count(2)
    _assert_offline(offline)


async def test_a_street_account_sees_only_its_own_street(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # given a STREET account and its communities, as GraphQL answers them
    _, street = live_server.account("STREET")
    data = await graphql_as(
        live_server.base,
        street["token"],
        "{ me { scope { ... on Street { name communities { edges { node { id name } } } } } } }",
    )
    own = data["me"]["scope"]
    # when it opens the dashboard
    await page.goto(f"{live_server.base}/dashboard?as={street['username']}")
    await _level(page, "Street")
    # then its street is the top of the breadcrumb, and the rows are its communities only
    await expect(page.locator("#crumbs b")).to_have_text(own["name"])
    await expect(page.locator("#crumbs a")).to_have_count(0)
    ids = await page.locator("#children tr.drill").evaluate_all("rs => rs.map(r => r.dataset.id)")
    assert sorted(ids) == sorted(e["node"]["id"] for e in own["communities"]["edges"])
    await screenshot("street")
    _assert_offline(offline)


async def test_a_new_todo_appears_on_the_open_dashboard(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # given one project's enterprise and manager, and the demo round open
    engine = create_engine(live_server.database_url)
    try:
        chain = await demo_chain(engine, local_date(system_clock()))
    finally:
        await engine.dispose()
    base = live_server.base
    round_id = await demo_round_id(base)
    manager = token_for(chain["MANAGER"])
    project = (await graphql_as(base, manager, "{ me { scope { ... on Project { id kind } } } }"))[
        "me"
    ]["scope"]

    # and the dashboard open as the manager, listening
    await page.goto(f"{base}/dashboard?token={manager}")
    await _level(page, "Project")
    await expect(page.locator("body")).to_have_attribute("data-live", "yes", timeout=15_000)
    badge = page.locator("#todos")
    await expect(badge).to_have_attribute("data-count", re.compile(r"^\d+$"))
    before = int(await badge.get_attribute("data-count") or 0)
    await screenshot("before")

    # when the enterprise creates the project's application through the API
    created = await graphql_as(
        base,
        token_for(chain["ENTERPRISE"]),
        CREATE,
        {
            "input": {
                "roundId": round_id,
                "projectId": project["id"],
                "managerName": "李明",
                "managerPhone": "13800138000",
                "propertyType": project["kind"],
            }
        },
    )
    assert created["createSubsidyApplication"]["errors"] == []

    # then the manager's badge counts one more to-do, without a reload
    await expect(badge).to_have_attribute("data-count", str(before + 1), timeout=10_000)
    await screenshot("after")
    _assert_offline(offline)


async def test_without_websockets_the_badge_polls(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # given a network path that refuses WebSockets, and a manager whose project has not applied
    await page.route_web_socket("**/graphql", lambda ws: ws.close(code=1011))
    _, manager, create_application = await fresh_manager(live_server)
    await page.goto(f"{live_server.base}/dashboard?as={manager['username']}")
    await _level(page, "Project")
    badge = page.locator("#todos")
    await expect(badge).to_have_attribute("data-count", re.compile(r"^\d+$"))
    await expect(page.locator("body")).to_have_attribute("data-live", "no", timeout=10_000)
    before = int(await badge.get_attribute("data-count") or 0)
    # when the enterprise creates the application, then the 5-second poll finds the new to-do
    await create_application()
    await expect(badge).to_have_attribute("data-count", str(before + 1), timeout=12_000)
    await screenshot("polled")
    _assert_offline(offline)
