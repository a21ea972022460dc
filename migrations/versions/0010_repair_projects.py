"""repair projects: budget, facilities, shares by floor area, disbursement plan

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 14:24:26.072240
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


RULES = [
    *(
        ("p", role, "RepairProject.*", "read", "allow")
        for role in ("CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER")
    ),
    ("p", "ENTERPRISE", "Query.repairProjects", "read", "allow"),
    ("p", "MANAGER", "Query.repairProjects", "read", "allow"),
    ("p", "ENTERPRISE", "Mutation.createRepairProject", "call", "allow"),
    ("p", "MANAGER", "Mutation.createRepairProject", "call", "allow"),
]


def upgrade() -> None:
    op.create_table(
        "repair_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "NORMAL",
                "EMERGENCY",
                "SIMPLE",
                name="repair_kind",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "VOTING",
                "PUBLICITY",
                "SUBMITTED",
                "APPROVED",
                "ACCEPTED",
                "CLOSED",
                "CANCELLED",
                name="repair_status",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("facilities", sa.JSON(), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("budget > 0", name=op.f("ck_repair_projects_budget_positive")),
        sa.CheckConstraint(
            "paid >= 0 AND paid <= budget", name=op.f("ck_repair_projects_paid_within_budget")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_repair_projects_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["accounts.id"],
            name=op.f("fk_repair_projects_created_by_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_repair_projects_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_repair_projects_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_repair_projects_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_repair_projects_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_projects")),
    )
    with op.batch_alter_table("repair_projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repair_projects_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_repair_projects_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_repair_projects_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_repair_projects_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_repair_projects_street_id"), ["street_id"], unique=False
        )

    op.create_table(
        "repair_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("repair_project_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "amount >= 0 AND paid >= 0 AND paid <= amount",
            name=op.f("ck_repair_shares_paid_within_share"),
        ),
        sa.ForeignKeyConstraint(
            ["repair_project_id"],
            ["repair_projects.id"],
            name=op.f("fk_repair_shares_repair_project_id_repair_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_repair_shares_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_shares")),
        sa.UniqueConstraint("repair_project_id", "unit_id", name="uq_repair_shares_project_unit"),
    )
    with op.batch_alter_table("repair_shares", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repair_shares_repair_project_id"), ["repair_project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_repair_shares_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "repair_stages",
        sa.Column("repair_project_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "amount > 0 AND paid >= 0 AND paid <= amount",
            name=op.f("ck_repair_stages_paid_within_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["repair_project_id"],
            ["repair_projects.id"],
            name=op.f("fk_repair_stages_repair_project_id_repair_projects"),
        ),
        sa.PrimaryKeyConstraint("repair_project_id", "index", name=op.f("pk_repair_stages")),
    )
    add_policy_lines(RULES)


def downgrade() -> None:
    remove_policy_lines(RULES)
    op.drop_table("repair_stages")
    with op.batch_alter_table("repair_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_shares_unit_id"))
        batch_op.drop_index(batch_op.f("ix_repair_shares_repair_project_id"))

    op.drop_table("repair_shares")
    with op.batch_alter_table("repair_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repair_projects_street_id"))
        batch_op.drop_index(batch_op.f("ix_repair_projects_project_id"))
        batch_op.drop_index(batch_op.f("ix_repair_projects_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_repair_projects_district_id"))
        batch_op.drop_index(batch_op.f("ix_repair_projects_community_id"))

    op.drop_table("repair_projects")
