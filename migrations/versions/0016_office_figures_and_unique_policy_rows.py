"""office figures for the enterprise and manager; one row per policy line

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23 19:50:00

``Query.tenderFigures`` for the enterprise and the project manager (offices
read it, and ``evaluationFigures``, through their wildcards).

A unique index over a policy line's values (NULL counted as ''), so two
concurrent ``addPolicyRule`` calls for the same rule leave one row: the
second insert waits for the first transaction and fails, and the workflow
answers ``DUPLICATE`` (workflows/policy_rules.py). Rows already doubled (by
hand in SQL) are reduced to their first before the index is built.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

LINES = [("p", role, "Query.tenderFigures", "read", "allow") for role in ("ENTERPRISE", "MANAGER")]
COLUMNS = ("ptype", "v0", "v1", "v2", "v3", "v4", "v5")
INDEX = "uq_casbin_rule_line"


def upgrade() -> None:
    add_policy_lines(LINES)
    values = ", ".join(COLUMNS)
    op.execute(
        f"DELETE FROM casbin_rule WHERE id NOT IN "
        f"(SELECT MIN(id) FROM casbin_rule GROUP BY {values})"
    )
    op.create_index(
        INDEX,
        "casbin_rule",
        [sa.text(f"coalesce({name}, '')") for name in COLUMNS],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="casbin_rule")
    remove_policy_lines(LINES)
