"""node stats rollups

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 04:40:59.184855
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "node_stats",
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.Column("buildings", sa.Integer(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("floor_area", sa.BigInteger(), nullable=False),
        sa.Column("owners", sa.BigInteger(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("level", "node_id", name=op.f("pk_node_stats")),
    )


def downgrade() -> None:

    op.drop_table("node_stats")
