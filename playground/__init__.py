"""The playground: GraphiQL with a sign-in picker for the demo accounts."""

from __future__ import annotations

import json
from pathlib import Path

TEMPLATE = (Path(__file__).parent / "index.html").read_text(encoding="utf-8")


def render_playground(endpoint: str, demo_accounts: list[dict[str, str]]) -> str:
    """The page; ``demo_accounts`` (username, role, token) only in demo mode."""
    payload = json.dumps({"endpoint": endpoint, "accounts": demo_accounts}, ensure_ascii=False)
    # The JSON sits raw inside <script>: "<" may only appear in JSON strings,
    # where \u003c means the same and cannot close the element.
    return TEMPLATE.replace("__PLAYGROUND_CONFIG__", payload.replace("<", "\\u003c"))
