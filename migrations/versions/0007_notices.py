"""notices to project managers, their read receipts, and the policy rows

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:20:00

A database whose policy was installed before this revision gets the notice
policy lines (as 0004 does); a new database gets them from
``authz/rbac_policy.csv`` when ``migrate`` installs the default policy.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ROLES = ("CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE")
RULES = [
    ("OFFICE", "Notice.*", "read"),
    ("MANAGER", "Query.notices", "read"),
    ("MANAGER", "Notice.*", "read"),
    ("MANAGER", "Account.*", "read"),
    ("OFFICE", "Account.*", "read"),
    ("OFFICE", "Mutation.publishNotice", "call"),
    ("OFFICE", "Mutation.urgeNotice", "call"),
    ("MANAGER", "Mutation.markNoticeRead", "call"),
]
LINES = [("p", *rule, "allow") for rule in RULES]


def _role(name: str) -> sa.Enum:
    return sa.Enum(*ROLES, name=name, native_enum=False, create_constraint=True)


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("publisher_username", sa.String(length=64), nullable=False),
        sa.Column("publisher_role", _role("publisher_role"), nullable=False),
        sa.Column(
            "publisher_position",
            sa.Enum(
                "HEAD", "CLERK", name="publisher_position", native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["accounts.id"], name=op.f("fk_notices_publisher_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_notices_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_notices_street_id_streets")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_notices_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )  # fmt: skip
    for column in ("district_id", "street_id", "community_id"):
        op.create_index(op.f(f"ix_notices_{column}"), "notices", [column])
    op.create_table(
        "notice_recipients",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], ondelete="CASCADE",
            name=op.f("fk_notice_recipients_notice_id_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_notice_recipients_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_notice_recipients_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("notice_id", "account_id", name=op.f("pk_notice_recipients")),
    )  # fmt: skip
    for column in ("account_id", "project_id"):
        op.create_index(op.f(f"ix_notice_recipients_{column}"), "notice_recipients", [column])
    add_policy_lines(LINES)


def downgrade() -> None:
    remove_policy_lines(LINES)
    op.drop_table("notice_recipients")
    op.drop_table("notices")
