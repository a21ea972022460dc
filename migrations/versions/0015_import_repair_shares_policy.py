"""repair shares as a sheet: the project's enterprise and manager call importRepairShares

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 19:50:00.000000
"""

from __future__ import annotations

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

RULES = [
    ("p", role, "Mutation.importRepairShares", "call", "allow")
    for role in ("ENTERPRISE", "MANAGER")
]


def upgrade() -> None:
    add_policy_lines(RULES)


def downgrade() -> None:
    remove_policy_lines(RULES)
