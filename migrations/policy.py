"""Policy lines a revision adds to a database whose policy was installed before it.

A new database gets every line from ``authz/rbac_policy.csv`` when
``migrate`` installs the default policy after upgrading, so these add
nothing to an empty ``casbin_rule``; an existing one gets each line it lacks.
A line is ``(ptype, v0, v1, v2, v3)``, e.g.
``("p", "OWNER", "Mutation.castVote", "call", "allow")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from alembic import op

COLUMNS = ("ptype", "v0", "v1", "v2", "v3")
CASBIN_RULE = sa.table("casbin_rule", *(sa.column(name, sa.String) for name in COLUMNS))


def _matches(line: Sequence[str]) -> list[sa.ColumnElement[bool]]:
    return [
        getattr(CASBIN_RULE.c, name) == value for name, value in zip(COLUMNS, line, strict=True)
    ]


def add_policy_lines(lines: Iterable[Sequence[str]]) -> None:
    conn = op.get_bind()
    if not conn.execute(sa.select(sa.func.count()).select_from(CASBIN_RULE)).scalar():
        return  # a new database: migrate installs authz/rbac_policy.csv, these lines included
    for line in lines:
        present = conn.execute(
            sa.select(sa.func.count()).select_from(CASBIN_RULE).where(*_matches(line))
        ).scalar()
        if not present:
            op.execute(CASBIN_RULE.insert().values(dict(zip(COLUMNS, line, strict=True))))


def remove_policy_lines(lines: Iterable[Sequence[str]]) -> None:
    for line in lines:
        op.execute(CASBIN_RULE.delete().where(*_matches(line)))
