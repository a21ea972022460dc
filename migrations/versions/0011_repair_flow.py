"""repair flow: the owners' meeting, the acceptance and its settled amount; who may move it

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 16:35:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

APPLICANT_MUTATIONS = (
    "startRepairVote",
    "publishRepairProject",
    "submitRepairProject",
    "payRepairStage",
    "acceptRepairProject",
    "refundRepairProject",
    "cancelRepairProject",
)
RULES = [
    *(
        ("p", role, f"Mutation.{name}", "call", "allow")
        for name in APPLICANT_MUTATIONS
        for role in ("ENTERPRISE", "MANAGER")
    ),
    ("p", "DISTRICT", "Mutation.reviewRepairProject", "call", "allow"),
]


def upgrade() -> None:
    with op.batch_alter_table("repair_projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("settled_amount", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_repair_projects_meeting_id_meetings"), "meetings", ["meeting_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_repair_projects_settled_within_budget"),
            "settled_amount IS NULL OR (settled_amount > 0 AND settled_amount <= budget "
            "AND paid <= settled_amount)",
        )
    add_policy_lines(RULES)


def downgrade() -> None:
    remove_policy_lines(RULES)
    with op.batch_alter_table("repair_projects", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_repair_projects_settled_within_budget"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_repair_projects_meeting_id_meetings"), type_="foreignkey"
        )
        batch_op.drop_column("accepted_at")
        batch_op.drop_column("settled_amount")
        batch_op.drop_column("meeting_id")
