"""every account may subscribe to its to-dos (todoChanged)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:50:00

A database whose policy was installed before this revision gets the one
policy line the subscription needs; a new database gets it from
``authz/rbac_policy.csv`` when ``migrate`` installs the default policy.
"""

from __future__ import annotations

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LINES = [("p", "ACCOUNT", "Subscription.todoChanged", "read", "allow")]


def upgrade() -> None:
    add_policy_lines(LINES)


def downgrade() -> None:
    remove_policy_lines(LINES)
