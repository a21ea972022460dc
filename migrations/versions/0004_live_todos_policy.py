"""every account may subscribe to its to-dos (todoChanged)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:50:00

A database whose policy was installed before this revision gets the one
policy line the subscription needs; a new database gets it from
``authz/rbac_policy.csv`` when ``migrate`` installs the default policy.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RULE = {
    "ptype": "p",
    "v0": "ACCOUNT",
    "v1": "Subscription.todoChanged",
    "v2": "read",
    "v3": "allow",
}
casbin_rule = sa.table(
    "casbin_rule",
    sa.column("ptype", sa.String),
    sa.column("v0", sa.String),
    sa.column("v1", sa.String),
    sa.column("v2", sa.String),
    sa.column("v3", sa.String),
)


def upgrade() -> None:
    conn = op.get_bind()
    has_policy = conn.execute(sa.select(sa.func.count()).select_from(casbin_rule)).scalar()
    present = conn.execute(
        sa.select(sa.func.count())
        .select_from(casbin_rule)
        .where(*(getattr(casbin_rule.c, k) == v for k, v in RULE.items()))
    ).scalar()
    if has_policy and not present:
        op.execute(casbin_rule.insert().values(**RULE))


def downgrade() -> None:
    op.execute(
        casbin_rule.delete().where(*(getattr(casbin_rule.c, k) == v for k, v in RULE.items()))
    )
