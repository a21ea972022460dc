"""repair figures: the project's enterprise, manager and owners read Project.repairFigures

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 17:05:00.000000
"""

from __future__ import annotations

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Offices read the figures through their wildcards.
RULES = [
    ("p", role, "Project.repairFigures", "read", "allow")
    for role in ("ENTERPRISE", "MANAGER", "OWNER")
]


def upgrade() -> None:
    add_policy_lines(RULES)


def downgrade() -> None:
    remove_policy_lines(RULES)
