"""The playground's saved example operations are valid in the schema of the role they are offered to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

REPO = Path(__file__).parents[2]
EXAMPLES = json.loads((REPO / "playground" / "src" / "examples.json").read_text(encoding="utf-8"))
ROLES = [
    "CITY",
    "DISTRICT",
    "STREET",
    "COMMUNITY",
    "ENTERPRISE",
    "MANAGER",
    "OWNER",
    "DELEGATE",
    "PUBLIC",
]


def test_every_role_has_examples() -> None:
    assert sorted(EXAMPLES) == sorted(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_the_examples_validate_against_the_role_schema(role: str) -> None:
    # given the role's committed schema snapshot
    schema = build_schema((REPO / "tests" / "snapshots" / f"schema-{role}.graphql").read_text())
    for example in EXAMPLES[role]:
        # when an example is validated against it, then there is no error
        errors = validate(schema, parse(example["query"]))
        assert errors == [], (role, example["name"], [e.message for e in errors])
    names = [e["name"] for e in EXAMPLES[role]]
    assert len(names) == len(set(names))
    if role != "PUBLIC":  # signed-in roles: their to-dos, and live
        assert any("todos(" in e["query"] for e in EXAMPLES[role])
        assert any(e["query"].lstrip("# ").count("subscription") for e in EXAMPLES[role])
