"""Queries shared by tests and benchmarks."""

from __future__ import annotations


def _connection(field: str, selection: str, first: int | None) -> str:
    page = f"(first: {first})" if first is not None else ""
    return f"{field}{page} {{ totalCount edges {{ node {{ {selection} }} }} }}"


STATS = "stats { projects buildings units floorArea owners }"


def drill_down(
    first: int | None = None,
    districts: int | None = None,
    pages: tuple[int | None, ...] | None = None,
) -> str:
    """The dashboard drill-down of issue 3: districts → streets → communities →
    projects (with enterprise, region, stats) → buildings → units → owners.

    ``pages``: ``first`` for each level, districts to units; else ``districts``
    for the top level and ``first`` below it."""
    d, s, c, p, b, u = pages or (districts, first, first, first, first, first)
    units = _connection("units", "id number floorArea owners { id name }", u)
    buildings = _connection("buildings", f"id name {units}", b)
    projects = _connection(
        "projects",
        "id name kind totalArea region { districtName streetName communityName } "
        f"enterprise {{ id name creditCode }} {STATS} {buildings}",
        p,
    )
    communities = _connection("communities", f"id name {STATS} {projects}", c)
    streets = _connection("streets", f"id name {STATS} {communities}", s)
    return "{ " + _connection("districts", f"id name {STATS} {streets}", d) + " }"


# Six levels at once must size their pages to stay within an office's cost
# limit (authz/limits.py): this one costs ~41,000 and covers all of tiny.
DRILL_DOWN = drill_down(pages=(2, 2, 3, 3, 4, 10))
# The whole of every dataset (pages of 50 at six levels): only with a raised limit.
WHOLE_DRILL_DOWN = drill_down()
UNLIMITED = {"CITY": {"cost": 10**12}}
