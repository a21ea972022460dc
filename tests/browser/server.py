"""The app the browser tests serve with uvicorn, in a process of its own.

    PROPGRAPH_BROWSER_DATABASE_URL=... PROPGRAPH_BROWSER_ACCOUNTS=accounts.json \
        python -m uvicorn --factory tests.browser.server:create --port 8001
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette

from propgraph.app import create_app
from tests.support.app import settings_for


def create() -> Starlette:
    accounts = json.loads(Path(os.environ["PROPGRAPH_BROWSER_ACCOUNTS"]).read_text())
    return create_app(
        settings_for(os.environ["PROPGRAPH_BROWSER_DATABASE_URL"]), demo_accounts=accounts
    )
