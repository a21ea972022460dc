"""meeting documents: an uploaded document belongs to an application or to a meeting

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 17:30:00

``subsidy_evidence`` keeps its name and rows; ``application_id`` may now be
null, ``meeting_id`` is new, and exactly one of the two is set. The opening
office uploads a meeting's documents (``uploadMeetingDocument``); every
signed-in role that sees meetings reads ``Evidence`` fields.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

RULES = [
    ("p", "ACCOUNT", "Evidence.*", "read", "allow"),
    ("p", "STREET", "Mutation.uploadMeetingDocument", "call", "allow"),
    ("p", "COMMUNITY", "Mutation.uploadMeetingDocument", "call", "allow"),
]


def upgrade() -> None:
    with op.batch_alter_table("subsidy_evidence") as batch:
        batch.alter_column("application_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_subsidy_evidence_meeting_id_meetings"),
            "meetings",
            ["meeting_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_subsidy_evidence_meeting_id"), ["meeting_id"])
        batch.create_check_constraint(
            op.f("ck_subsidy_evidence_one_subject"),
            "(application_id IS NULL) <> (meeting_id IS NULL)",
        )
    add_policy_lines(RULES)


def downgrade() -> None:
    remove_policy_lines(RULES)
    op.execute("DELETE FROM subsidy_evidence WHERE meeting_id IS NOT NULL")
    with op.batch_alter_table("subsidy_evidence") as batch:
        batch.drop_constraint(op.f("ck_subsidy_evidence_one_subject"), type_="check")
        batch.drop_index(op.f("ix_subsidy_evidence_meeting_id"))
        batch.drop_constraint(op.f("fk_subsidy_evidence_meeting_id_meetings"), type_="foreignkey")
        batch.drop_column("meeting_id")
        batch.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
