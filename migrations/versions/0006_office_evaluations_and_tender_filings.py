"""office work: half-year evaluations and tender filings, and their policy rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:45:22

A database whose policy was installed before this revision gets the office
work's policy lines (as 0004 does); a new database gets them from
``authz/rbac_policy.csv`` when ``migrate`` installs the default policy.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


RULES = [
    ("OFFICE", "Evaluation.*", "read"),
    ("OFFICE", "TenderFiling.*", "read"),
    ("ENTERPRISE", "Query.tenderFilings", "read"),
    ("MANAGER", "Query.tenderFilings", "read"),
    ("ENTERPRISE", "TenderFiling.*", "read"),
    ("MANAGER", "TenderFiling.*", "read"),
    ("COMMUNITY", "Mutation.scoreProject", "call"),
    ("STREET:CLERK", "Mutation.approveEvaluation", "call"),
    ("ENTERPRISE", "Mutation.fileTender", "call"),
    ("MANAGER", "Mutation.fileTender", "call"),
    ("STREET:CLERK", "Mutation.giveTenderOpinion", "call"),
    ("STREET:HEAD", "Mutation.decideTender", "call"),
]
LINES = [("p", *rule, "allow") for rule in RULES]


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "half",
            sa.Enum("H1", "H2", name="half", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "SCORED",
                "APPROVED",
                name="evaluation_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("community_score", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.BigInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_evaluations_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_evaluations_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_evaluations_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_evaluations_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
        sa.UniqueConstraint("project_id", "year", "half", name="uq_evaluations_project_half"),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluations_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluations_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evaluations_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluations_street_id"), ["street_id"], unique=False)

    op.create_table(
        "tender_filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "FILED",
                "CLERK_REVIEWED",
                "APPROVED",
                "REJECTED",
                name="tender_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column(
            "proposal",
            sa.Enum(
                "APPROVE",
                "REJECT",
                name="tender_proposal",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("remark", sa.Text(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_tender_filings_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_tender_filings_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_tender_filings_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_tender_filings_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_tender_filings_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_filings")),
    )
    with op.batch_alter_table("tender_filings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_filings_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tender_filings_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tender_filings_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tender_filings_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index("ix_tender_filings_status", ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tender_filings_street_id"), ["street_id"], unique=False
        )

    add_policy_lines(LINES)


def downgrade() -> None:
    remove_policy_lines(LINES)

    with op.batch_alter_table("tender_filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_filings_street_id"))
        batch_op.drop_index("ix_tender_filings_status")
        batch_op.drop_index(batch_op.f("ix_tender_filings_project_id"))
        batch_op.drop_index(batch_op.f("ix_tender_filings_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_tender_filings_district_id"))
        batch_op.drop_index(batch_op.f("ix_tender_filings_community_id"))

    op.drop_table("tender_filings")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluations_street_id"))
        batch_op.drop_index(batch_op.f("ix_evaluations_project_id"))
        batch_op.drop_index(batch_op.f("ix_evaluations_district_id"))
        batch_op.drop_index(batch_op.f("ix_evaluations_community_id"))

    op.drop_table("evaluations")
