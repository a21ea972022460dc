"""Rating the property service (SPEC 3.2, seed 002 §8): the stars a rating takes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from propgraph.models import RATING_ITEMS
from propgraph.workflows.errors import invalid


def parse_stars(stars: Sequence[Any]) -> dict[str, int]:
    """Column → stars for each of the five items, each given exactly once, 1–5."""
    given: dict[str, int] = {}
    for entry in stars:
        item = (entry.item or "").strip().upper()
        if item not in RATING_ITEMS:
            raise invalid("stars", f"Unknown item {entry.item!r}; rate {', '.join(RATING_ITEMS)}.")
        if item in given:
            raise invalid("stars", f"{item} is rated twice.")
        if not 1 <= entry.stars <= 5:
            raise invalid("stars", f"{item}: give 1 to 5 stars.")
        given[item] = entry.stars
    missing = [item for item in RATING_ITEMS if item not in given]
    if missing:
        raise invalid("stars", f"Rate every item; missing {', '.join(missing)}.")
    return {item.lower(): given[item] for item in RATING_ITEMS}
