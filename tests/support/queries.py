"""Queries shared by tests and benchmarks."""

from __future__ import annotations


def _connection(field: str, selection: str, first: int | None) -> str:
    page = f"(first: {first})" if first is not None else ""
    return f"{field}{page} {{ totalCount edges {{ node {{ {selection} }} }} }}"


STATS = "stats { projects buildings units floorArea owners }"


def drill_down(first: int | None = None, districts: int | None = None) -> str:
    """The dashboard drill-down of issue 3: districts → streets → communities →
    projects (with enterprise, region, stats) → buildings → units → owners."""
    units = _connection("units", "id number floorArea owners { id name }", first)
    buildings = _connection("buildings", f"id name {units}", first)
    projects = _connection(
        "projects",
        "id name kind totalArea region { districtName streetName communityName } "
        f"enterprise {{ id name creditCode }} {STATS} {buildings}",
        first,
    )
    communities = _connection("communities", f"id name {STATS} {projects}", first)
    streets = _connection("streets", f"id name {STATS} {communities}", first)
    return "{ " + _connection("districts", f"id name {STATS} {streets}", districts) + " }"


DRILL_DOWN = drill_down()
