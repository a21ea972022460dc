"""The playground and GET /graphql in headless Chromium, with every non-loopback request aborted."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, Offline, fresh_manager, require_browser
from tests.support.app import token_for

require_browser()
from playwright.async_api import Page, expect  # noqa: E402  (only once it is known to be there)

ME = "{ me { username role } }"
EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT = ".result-window"


async def _editor_ready(page: Page) -> None:
    await expect(page.locator(EDITOR)).to_be_visible(timeout=20_000)
    # the schema is introspected once per mount; the docs button needs it
    await expect(page.locator(".graphiql-container")).to_be_visible()


async def _run(page: Page, query: str) -> None:
    await page.evaluate(
        "q => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q)",
        query,
    )
    await page.locator(".graphiql-execute-button").click()


async def _mutations_in_docs(page: Page) -> list[str]:
    """The Mutation fields the docs explorer lists ([] when the role has no Mutation type)."""
    show = page.get_by_role("button", name="Show Documentation Explorer")
    if await show.count():
        await show.click()
    docs = page.locator(".graphiql-doc-explorer")
    await expect(docs.get_by_text("Root Types")).to_be_visible(timeout=20_000)
    mutation = docs.locator("a.graphiql-doc-explorer-type-name", has_text="Mutation")
    if not await mutation.count():
        return []
    await mutation.first.click()
    names = docs.locator(".graphiql-doc-explorer-field-name")
    await expect(names.first).to_be_visible()
    return await names.all_inner_texts()


def _assert_offline(offline: Offline) -> None:
    assert offline.blocked == [], f"the page reached beyond 127.0.0.1: {offline.blocked}"
    assert offline.page_errors == []


async def test_the_playground_follows_the_picked_role(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # given the playground, served by propgraph alone
    await page.goto(f"{live_server.base}/playground")
    await _editor_ready(page)
    await screenshot("loaded")
    # the picker groups the demo accounts by role
    groups = await page.locator("#account optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups == [
        "CITY",
        "DISTRICT",
        "STREET",
        "COMMUNITY",
        "ENTERPRISE",
        "MANAGER",
        "OWNER",
        "DELEGATE",
    ]

    # when an OWNER account is picked, a query runs as that owner
    value, owner = live_server.account("OWNER")
    await page.select_option("#account", value)
    await expect(page.locator("#who")).to_have_text("OWNER schema")
    await _editor_ready(page)
    await _run(page, ME)
    await expect(page.locator(RESULT)).to_contain_text(owner["username"], timeout=20_000)
    await expect(page.locator(RESULT)).to_contain_text('"role": "OWNER"')
    # and the docs show the owner's mutations only
    owner_mutations = await _mutations_in_docs(page)
    assert "markNotificationRead" in owner_mutations
    assert "reviewSubsidyApplication" not in owner_mutations
    await screenshot("owner-docs")

    # when a DISTRICT account is picked instead, the docs show the district's schema
    value, district = live_server.account("DISTRICT")
    await page.select_option("#account", value)
    await expect(page.locator("#who")).to_have_text("DISTRICT schema")
    await _editor_ready(page)
    district_mutations = await _mutations_in_docs(page)
    assert "reviewSubsidyApplication" in district_mutations
    assert "reportSubsidyBatch" in district_mutations
    await _run(page, ME)
    await expect(page.locator(RESULT)).to_contain_text(district["username"], timeout=20_000)
    await screenshot("district-docs")
    _assert_offline(offline)


async def test_graphql_in_a_browser_is_the_same_offline_graphiql(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # a browser asks for text/html
    response = await page.goto(f"{live_server.base}/graphql")
    assert response is not None and response.ok
    await _editor_ready(page)
    await page.select_option("#account", "")  # anonymous: the PUBLIC schema
    await expect(page.locator("#who")).to_have_text("no token: PUBLIC schema")
    await _editor_ready(page)
    await _run(page, "{ me { username } projects(first: 1) { totalCount } }")
    await expect(page.locator(RESULT)).to_contain_text('"totalCount": 24', timeout=20_000)
    assert await _mutations_in_docs(page) == []  # PUBLIC has no mutations
    await screenshot("public")
    _assert_offline(offline)


async def test_a_missing_bundle_says_so(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    await page.route("**/playground/assets/playground.js*", lambda route: route.fulfill(status=404))
    await page.goto(f"{live_server.base}/playground")
    message = page.locator("#graphiql")
    await expect(message).to_contain_text("GraphiQL could not be loaded", timeout=10_000)
    await expect(message).to_contain_text("npm --prefix playground ci")
    await screenshot("missing-bundle")
    _assert_offline(offline)


async def test_examples_load_and_a_subscription_runs_live(
    page: Page, live_server: LiveServer, offline: Offline, screenshot: Any
) -> None:
    # given the playground as a MANAGER whose project has not applied yet
    _, manager, create_application = await fresh_manager(live_server)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    await page.goto(f"{live_server.base}/playground?as={manager['username']}")
    await expect(page.locator("#who")).to_have_text("MANAGER schema")
    await _editor_ready(page)
    # the Examples panel lists the role's saved operations
    examples = page.locator(".playground-examples button")
    names = await examples.all_inner_texts()
    assert "Submit the application (accept the pledge)" in names
    assert "My to-do list" in names
    # when the submit example is picked, it is loaded into the editor with its variables
    await page.locator("button[data-example='Submit the application (accept the pledge)']").click()
    await expect(page.locator(EDITOR)).to_contain_text("submitSubsidyApplication")
    await expect(page.locator(".graphiql-editor-tool .CodeMirror").first).to_contain_text(
        "acceptPledge"
    )
    await screenshot("manager-examples")

    # a pasted token (no picker entry) gets its role's examples too
    await page.goto(f"{live_server.base}/playground?token={token_for(manager['username'])}")
    await expect(page.locator("#who")).to_have_text("the token's role schema")
    await expect(page.locator("button[data-example='My to-do list']")).to_be_visible(timeout=10_000)
    await expect(page.locator(".playground-examples")).to_contain_text("for MANAGER")
    await page.goto(f"{live_server.base}/playground?as={manager['username']}")
    await _editor_ready(page)

    # when the live to-do subscription runs and the enterprise then creates the application
    await page.locator("button[data-example='Live: my to-dos as they change']").click()
    await expect(page.locator(EDITOR)).to_contain_text("todoChanged")
    # GraphiQL re-parses the editor after a short debounce; only then does its
    # fetcher see a subscription (and use the socket rather than HTTP)
    await page.wait_for_timeout(800)
    await page.locator(".graphiql-execute-button").click()
    await page.wait_for_timeout(1000)  # the socket is open and subscribed
    await create_application()
    # then the new to-do arrives in the result pane, over graphql-transport-ws
    await expect(page.locator(RESULT)).to_contain_text('"todoChanged"', timeout=15_000)
    await expect(page.locator(RESULT)).to_contain_text('"PENDING"')
    assert sockets and sockets[0].startswith("ws://127.0.0.1") and sockets[0].endswith("/graphql")
    await screenshot("manager-live")
    _assert_offline(offline)
