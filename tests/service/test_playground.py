"""The playground and GET /graphql's GraphiQL are served from the package itself, no CDN."""

from __future__ import annotations

import re

from propgraph.accounts import list_accounts
from propgraph.playground import ACCOUNTS_PER_ROLE, STATIC_DIR, demo_accounts, render_playground
from tests.support.app import RunningApp

EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)
ASSET = re.compile(r'(?:src|href)="(/playground/assets/([\w.]+)\?v=[0-9a-f]{12})"')


async def test_the_page_loads_only_its_own_assets(tiny: RunningApp) -> None:
    page = await tiny.http.get("/playground")
    assert page.status_code == 200
    assert not EXTERNAL.search(page.text)
    assets = {name: url for url, name in ASSET.findall(page.text)}
    assert set(assets) == {"playground.js", "playground.css"}
    for name, url in assets.items():
        served = await tiny.http.get(url)
        assert served.status_code == 200
        assert served.content == (STATIC_DIR / name).read_bytes()
        kind = "javascript" if name.endswith(".js") else "css"
        assert kind in served.headers["content-type"]


async def test_graphql_for_a_browser_is_the_same_page(tiny: RunningApp) -> None:
    playground = await tiny.http.get("/playground")
    ide = await tiny.http.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200
    assert not EXTERNAL.search(ide.text)
    assert ASSET.findall(ide.text) == ASSET.findall(playground.text)
    assert '"endpoint": "/graphql"' in ide.text


def test_the_config_cannot_close_its_script_element() -> None:
    page = render_playground("/graphql", [{"username": "</script><b>x", "role": "OWNER"}])
    assert "</script><b>" not in page


async def test_the_picker_offers_a_few_enabled_accounts_of_every_role(tiny: RunningApp) -> None:
    listings = await list_accounts(tiny.services.engine)
    offered = demo_accounts(listings, lambda username: f"token-of-{username}")
    roles = [entry["role"] for entry in offered]
    assert set(roles) == {a.role for a in listings}
    assert all(roles.count(role) <= ACCOUNTS_PER_ROLE for role in roles)
    assert "disabled_clerk" not in {entry["username"] for entry in offered}
    for entry in offered:
        assert entry["token"] == f"token-of-{entry['username']}"
        assert set(entry) == {"role", "username", "position", "scope_name", "scope_id", "token"}
