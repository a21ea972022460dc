"""unit fund accounts: a ledger account per unit, its journal, and who reads balances

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 14:20:00

Every unit already in the database gets an account with nothing deposited;
a database whose policy was installed earlier gets the policy lines that
show the balances (a new database gets them from ``authz/rbac_policy.csv``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RULES = [
    ("p", "ENTERPRISE", "Project.fundBalance", "read", "allow"),
    ("p", "MANAGER", "Project.fundBalance", "read", "allow"),
    ("p", "OWNER", "Project.fundBalance", "read", "allow"),
    ("p", "ENTERPRISE", "Query.fundBalance", "read", "allow"),
    ("p", "MANAGER", "Query.fundBalance", "read", "allow"),
    ("p", "OWNER", "Query.fundBalance", "read", "allow"),
    ("p", "DELEGATE", "Unit.fundBalance", "read", "deny"),
    ("p", "DELEGATE", "Building.fundBalance", "read", "deny"),
]


def upgrade() -> None:
    ancestors = [
        ("building_id", "buildings"),
        ("project_id", "projects"),
        ("community_id", "communities"),
        ("street_id", "streets"),
        ("district_id", "districts"),
    ]
    op.create_table(
        "fund_accounts",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("deposits", sa.BigInteger(), nullable=False),
        sa.Column("debits", sa.BigInteger(), nullable=False),
        sa.Column("refunds", sa.BigInteger(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=False) for column, _ in ancestors),
        sa.CheckConstraint(
            "balance = deposits - debits + refunds", name=op.f("ck_fund_accounts_ledger")
        ),
        sa.CheckConstraint("balance >= 0", name=op.f("ck_fund_accounts_not_overdrawn")),
        sa.CheckConstraint(
            "deposits >= 0 AND debits >= 0 AND refunds >= 0",
            name=op.f("ck_fund_accounts_totals"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_fund_accounts_unit_id_units")
        ),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=op.f(f"fk_fund_accounts_{column}_{table}")
            )
            for column, table in ancestors
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_fund_accounts")),
    )
    for column, _ in ancestors:
        op.create_index(op.f(f"ix_fund_accounts_{column}"), "fund_accounts", [column])
    op.create_table(
        "fund_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "DEPOSIT",
                "DEBIT",
                "REFUND",
                name="fund_entry_kind",
                native_enum=False,
                create_constraint=True,
                length=7,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_fund_entries_positive")),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["fund_accounts.unit_id"],
            name=op.f("fk_fund_entries_unit_id_fund_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_fund_entries_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_entries")),
    )
    op.create_index(op.f("ix_fund_entries_unit_id"), "fund_entries", ["unit_id"])
    op.create_index(op.f("ix_fund_entries_project_id"), "fund_entries", ["project_id"])
    # Units loaded before this revision: an account each, nothing deposited yet.
    op.execute(
        "INSERT INTO fund_accounts (unit_id, deposits, debits, refunds, balance, building_id, "
        "project_id, community_id, street_id, district_id) "
        "SELECT id, 0, 0, 0, 0, building_id, project_id, community_id, street_id, district_id "
        "FROM units"
    )

    add_policy_lines(RULES)


def downgrade() -> None:
    remove_policy_lines(RULES)
    op.drop_table("fund_entries")
    op.drop_table("fund_accounts")
