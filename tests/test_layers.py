"""SQL is built in ``resolvers/`` and ``workflows/``, never in ``schema/``.

A module under ``schema/`` parses input, calls a named function of
``resolvers/<area>/`` or ``workflows/``, and builds its payload. This reads
every such module's syntax tree: it may not import SQLAlchemy's statement
builders (only ``sqlalchemy.ext.asyncio``'s types and ``sqlalchemy.exc``), nor
call a statement's methods (``.where(…)``, ``.order_by(…)``, a kind's
``.scoped(…)`` …) or run one (``conn.execute(…)``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"

ALLOWED_SQLALCHEMY = {"sqlalchemy.ext.asyncio", "sqlalchemy.exc"}
STATEMENT_METHODS = {
    "where",
    "filter_by",
    "order_by",
    "group_by",
    "having",
    "select_from",
    "returning",
    "on_conflict_do_update",
    "on_conflict_do_nothing",
    "scoped",
    "columns",
    "execute",
    "scalar",
    "scalars",
    "stream",
}


def schema_modules() -> list[Path]:
    return sorted(SCHEMA.rglob("*.py"))


def violations(source: str) -> list[str]:
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] == "sqlalchemy" and module not in ALLOWED_SQLALCHEMY:
                names = ", ".join(alias.name for alias in node.names)
                found.append(f"line {node.lineno}: from {module} import {names}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in STATEMENT_METHODS:
                found.append(f"line {node.lineno}: .{node.func.attr}(…)")
    return found


@pytest.mark.parametrize(
    "path", schema_modules(), ids=lambda p: str(p.relative_to(ROOT)).replace("\\", "/")
)
def test_schema_builds_no_sql(path: Path) -> None:
    name = str(path.relative_to(ROOT)).replace("\\", "/")
    found = violations(path.read_text(encoding="utf-8"))
    assert not found, f"{name} builds SQL; move it into resolvers/ or workflows/: {found}"


def test_the_check_can_fail() -> None:
    # given a module that builds a statement the way schema/ used to
    source = (
        "from sqlalchemy import select\n"
        "async def f(conn, kind, viewer):\n"
        "    return await conn.execute(kind.scoped(viewer).where(kind.id == 1))\n"
    )
    # when it is checked
    found = violations(source)
    # then each import and statement method is named
    assert sorted(found) == [
        "line 1: from sqlalchemy import select",
        "line 3: .execute(…)",
        "line 3: .scoped(…)",
        "line 3: .where(…)",
    ]
