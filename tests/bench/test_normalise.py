"""The benchmark's answer comparison (bench/normalise.py) and its documents (bench/cases.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from bench.cases import CASES
from bench.normalise import compare, decode_id, loads, normalise
from propgraph.schema.relay import to_global_id

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"


def test_global_ids_decode_to_type_and_key() -> None:
    assert decode_id(to_global_id("Unit", 42)) == "Unit:42"
    assert decode_id("Unit:42") == "Unit:42"
    assert decode_id("not an id!") == "not an id!"
    assert decode_id("aGVsbG8=") == "aGVsbG8="  # base64, but not of Type:pk


def test_equal_answers_compare_equal() -> None:
    gateway = {
        "node": {
            "id": to_global_id("Unit", 1),
            "floorArea": 64.5,
            "units": 3,
            "createdAt": "2020-02-21T02:00:00+00:00",
            "owners": [],
        }
    }
    sql = loads(
        '{"node": {"id": "Unit:1", "floorArea": 64.50, "units": 3, '
        '"createdAt": "2020-02-21T10:00:00+08:00", "owners": []}}'
    )
    assert compare(gateway, sql) is None


@pytest.mark.parametrize(
    ("sql", "where"),
    [
        ('{"a": [{"id": "Unit:2", "x": 1.5}]}', "data.a[0].id"),
        ('{"a": [{"id": "Unit:1", "x": 1.49}]}', "data.a[0].x"),
        ('{"a": [{"id": "Unit:1"}]}', "data.a[0].x: missing on the SQL side"),
        ('{"a": []}', "data.a: 1 items (gateway) vs 0 (SQL)"),
    ],
)
def test_differences_are_named(sql: str, where: str) -> None:
    gateway = {"a": [{"id": to_global_id("Unit", 1), "x": 1.5}]}
    difference = compare(gateway, loads(sql))
    assert difference is not None and where in difference


def test_numbers_are_exact_decimals() -> None:
    assert normalise(loads('{"v": 39605650.39}')) == {"v": Decimal("39605650.39")}
    assert compare({"v": 0.1 + 0.2}, loads('{"v": 0.3}')) is not None  # never rounded away


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_documents_are_valid_for_their_role(case) -> None:  # type: ignore[no-untyped-def]
    schema = build_schema((SNAPSHOTS / f"schema-{case.role}.graphql").read_text())
    assert validate(schema, parse(case.graphql)) == []


def test_the_table_shows_a_mismatch_and_the_ratios() -> None:
    from bench.run import percentile, table

    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile([1.0, 2.0], 0.95) == 1.95

    def side(p50: float, rps: float) -> dict:  # type: ignore[type-arg]
        figures = {"p50_ms": p50, "p95_ms": p50 * 2, "rps": rps, "requests": 10, "errors": 0}
        figures |= {"python_cpu_ms_per_request": 8.0, "postgres_cpu_ms_per_request": 1.0}
        return {"c1": figures, "c8": dict(figures)}

    case = {
        "title": "street dashboard",
        "role": "STREET",
        "equal": False,
        "difference": "data.x: 1 (gateway) vs 2 (SQL)",
        "gateway": {
            "statements_per_request": 5,
            "peak_rss_mib_per_worker": {"idle_mib": [100.0], "peak_mib": [120.0]},
            **side(20.0, 50.0),
        },
        "sql": {"statements_per_request": 1, **side(1.0, 1000.0)},
    }
    rendered = table({"cases": [case]})
    assert "**NO**: data.x: 1 (gateway) vs 2 (SQL)" in rendered
    assert "20.0× / 20.0×" in rendered  # p50 ratio at c=1, rate ratio at c=8
    assert "120 (idle 100)" in rendered
