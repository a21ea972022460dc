"""subsidy workflow, audit trail, outbox and to-dos

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 03:48:54.223573
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# The audit trail is append-only, enforced by the database itself.
APPEND_ONLY_SQLITE = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END""",
]
APPEND_ONLY_POSTGRESQL = [
    """CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$""",
    """CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
]


def _install_append_only() -> None:
    dialect = op.get_bind().dialect.name
    for statement in APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else APPEND_ONLY_SQLITE:
        op.execute(statement)


def _remove_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")


def upgrade() -> None:

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column(
            "actor_role",
            sa.Enum(
                "CITY",
                "DISTRICT",
                "STREET",
                "COMMUNITY",
                "ENTERPRISE",
                "MANAGER",
                "OWNER",
                "DELEGATE",
                name="actor_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "actor_position",
            sa.Enum(
                "HEAD", "CLERK", name="actor_position", native_enum=False, create_constraint=True
            ),
            nullable=True,
        ),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_entries_subject", ["subject_type", "subject_id", "id"], unique=False
        )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("SMS", "WECHAT", name="channel", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("recipient_account_id", sa.Integer(), nullable=True),
        sa.Column("recipient_phone", sa.String(length=20), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_account_id"],
            ["accounts.id"],
            name=op.f("fk_notifications_recipient_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_pending", ["sent_at", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_recipient_account_id"),
            ["recipient_account_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_recipient_phone"), ["recipient_phone"], unique=False
        )

    op.create_table(
        "subsidy_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("rate_per_sqm_month", sa.BigInteger(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["accounts.id"],
            name=op.f("fk_subsidy_rounds_created_by_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_rounds")),
    )
    op.create_table(
        "todos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "CITY",
                "DISTRICT",
                "STREET",
                "COMMUNITY",
                "ENTERPRISE",
                "MANAGER",
                "OWNER",
                "DELEGATE",
                name="todo_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING", "DONE", name="todo_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_todos_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_todos_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["accounts.id"], name=op.f("fk_todos_done_by_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_todos_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_todos_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_todos_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_todos")),
    )
    with op.batch_alter_table("todos", schema=None) as batch_op:
        batch_op.create_index("ix_todos_addressee", ["status", "role"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_done_by_id"), ["done_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_todos_street_id"), ["street_id"], unique=False)
        batch_op.create_index("ix_todos_subject", ["subject_type", "subject_id"], unique=False)

    op.create_table(
        "notification_reads",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_notification_reads_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_reads_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "notification_id", "account_id", name=op.f("pk_notification_reads")
        ),
    )
    op.create_table(
        "subsidy_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_subsidy_batches_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"], ["accounts.id"], name=op.f("fk_subsidy_batches_paid_by_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["accounts.id"],
            name=op.f("fk_subsidy_batches_reported_by_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["subsidy_rounds.id"],
            name=op.f("fk_subsidy_batches_round_id_subsidy_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_batches")),
    )
    with op.batch_alter_table("subsidy_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subsidy_batches_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subsidy_batches_round_id"), ["round_id"], unique=False)

    op.create_table(
        "subsidy_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "SUBMITTED",
                "COMMUNITY_APPROVED",
                "STREET_APPROVED",
                "DISTRICT_APPROVED",
                "REPORTED",
                "PAID",
                "RETURNED",
                name="subsidy_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("manager_name", sa.String(length=64), nullable=False),
        sa.Column("manager_phone", sa.String(length=20), nullable=False),
        sa.Column(
            "property_type",
            sa.Enum(
                "RESIDENTIAL",
                "URBAN_VILLAGE",
                "APARTMENT",
                "OFFICE",
                "COMMERCIAL",
                "INDUSTRIAL",
                "OTHER",
                name="property_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("recorded_area", sa.BigInteger(), nullable=False),
        sa.Column("area", sa.BigInteger(), nullable=False),
        sa.Column("bank_account", sa.String(length=32), nullable=False),
        sa.Column("pledge_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("area_confirmed", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["subsidy_batches.id"],
            name=op.f("fk_subsidy_applications_batch_id_subsidy_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_subsidy_applications_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["districts.id"],
            name=op.f("fk_subsidy_applications_district_id_districts"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_subsidy_applications_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_subsidy_applications_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["subsidy_rounds.id"],
            name=op.f("fk_subsidy_applications_round_id_subsidy_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_subsidy_applications_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_applications")),
        sa.UniqueConstraint("round_id", "project_id", name="uq_subsidy_applications_round_project"),
    )
    with op.batch_alter_table("subsidy_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index("ix_subsidy_applications_status", ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subsidy_applications_street_id"), ["street_id"], unique=False
        )

    op.create_table(
        "subsidy_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CONTRACT",
                "AREA_TABLE",
                "COMPLETION_REPORT",
                "OTHER",
                name="evidence_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_as", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["subsidy_applications.id"],
            name=op.f("fk_subsidy_evidence_application_id_subsidy_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["accounts.id"],
            name=op.f("fk_subsidy_evidence_uploaded_by_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_evidence")),
        sa.UniqueConstraint("stored_as", name=op.f("uq_subsidy_evidence_stored_as")),
    )
    with op.batch_alter_table("subsidy_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subsidy_evidence_application_id"), ["application_id"], unique=False
        )

    _install_append_only()


def downgrade() -> None:
    _remove_append_only()

    with op.batch_alter_table("subsidy_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_evidence_application_id"))

    op.drop_table("subsidy_evidence")
    with op.batch_alter_table("subsidy_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_street_id"))
        batch_op.drop_index("ix_subsidy_applications_status")
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_round_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_project_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_district_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_community_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_applications_batch_id"))

    op.drop_table("subsidy_applications")
    with op.batch_alter_table("subsidy_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_batches_round_id"))
        batch_op.drop_index(batch_op.f("ix_subsidy_batches_district_id"))

    op.drop_table("subsidy_batches")
    op.drop_table("notification_reads")
    with op.batch_alter_table("todos", schema=None) as batch_op:
        batch_op.drop_index("ix_todos_subject")
        batch_op.drop_index(batch_op.f("ix_todos_street_id"))
        batch_op.drop_index(batch_op.f("ix_todos_project_id"))
        batch_op.drop_index(batch_op.f("ix_todos_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_todos_done_by_id"))
        batch_op.drop_index(batch_op.f("ix_todos_district_id"))
        batch_op.drop_index(batch_op.f("ix_todos_community_id"))
        batch_op.drop_index("ix_todos_addressee")

    op.drop_table("todos")
    op.drop_table("subsidy_rounds")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_recipient_phone"))
        batch_op.drop_index(batch_op.f("ix_notifications_recipient_account_id"))
        batch_op.drop_index("ix_notifications_pending")

    op.drop_table("notifications")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_subject")

    op.drop_table("audit_entries")
