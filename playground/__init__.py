"""The playground: GraphiQL with a sign-in picker for the demo accounts, served offline.

GraphiQL, React and the explorer plugin are bundled from npm into ``static/``
(built by ``build.mjs`` from ``package-lock.json``, committed, shipped as
package data) and served by the gateway under ``ASSETS_PATH``: the page never
reaches a CDN, so it works on an intranet without internet.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from starlette.staticfiles import StaticFiles

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
ASSETS_PATH = "/playground/assets"
TEMPLATE = (HERE / "index.html").read_text(encoding="utf-8")
DASHBOARD_TEMPLATE = (HERE / "dashboard.html").read_text(encoding="utf-8")
ACCOUNTS_PER_ROLE = 4


@cache
def asset_url(name: str) -> str:
    """The file's URL, versioned by its content so a new build is never served stale."""
    path = STATIC_DIR / name
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "missing"
    return f"{ASSETS_PATH}/{name}?v={version}"


def assets_app() -> StaticFiles:
    # check_dir=False: a missing build gives 404s and the page's own message, not a crash.
    return StaticFiles(directory=STATIC_DIR, check_dir=False)


def render_playground(endpoint: str, demo_accounts: list[dict[str, Any]]) -> str:
    """The page; ``demo_accounts`` (username, role, token, ...) only in demo mode."""
    script, style = asset_url("playground.js"), asset_url("playground.css")
    config = {"endpoint": endpoint, "accounts": demo_accounts, "script": script, "style": style}
    payload = json.dumps(config, ensure_ascii=False)
    # The JSON sits raw inside <script>: "<" may only appear in JSON strings,
    # where \u003c means the same and cannot close the element.
    return (
        TEMPLATE.replace("__PLAYGROUND_CONFIG__", payload.replace("<", "\\u003c"))
        .replace("__SCRIPT_URL__", html.escape(script))
        .replace("__STYLE_URL__", html.escape(style))
    )


def render_dashboard(endpoint: str, demo_accounts: list[dict[str, Any]]) -> str:
    """The drill-down dashboard; it signs in like the playground and reads ``endpoint``."""
    script = asset_url("dashboard.js")
    config = {"endpoint": endpoint, "accounts": demo_accounts, "script": script}
    payload = json.dumps(config, ensure_ascii=False)
    return DASHBOARD_TEMPLATE.replace(
        "__DASHBOARD_CONFIG__", payload.replace("<", "\\u003c")
    ).replace("__SCRIPT_URL__", html.escape(script))


def demo_accounts(
    accounts: Iterable[Any], issue: Callable[[str], str], first: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """A few enabled accounts of each role for the picker, each with a token from ``issue``.

    ``accounts`` are ``propgraph.accounts.AccountListing`` rows in listing order
    (each scope's head before its clerk); the page groups them by role and scope.
    The usernames in ``first`` come first in their role (the demo's printed chain).
    """
    wanted = list(first)
    ordered = sorted(
        accounts,
        key=lambda a: wanted.index(a.username) if a.username in wanted else len(wanted),
    )
    picked: list[dict[str, Any]] = []
    per_role: dict[str, int] = {}
    for account in ordered:
        if account.disabled or per_role.get(account.role, 0) >= ACCOUNTS_PER_ROLE:
            continue
        per_role[account.role] = per_role.get(account.role, 0) + 1
        picked.append(
            {
                "role": account.role,
                "username": account.username,
                "position": account.position,
                "scope_name": account.scope_name,
                "scope_id": account.scope_id,
                "token": issue(account.username),
            }
        )
    return picked
