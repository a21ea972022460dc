"""the property graph, accounts and policy

Revision ID: 0001
Revises:
Create Date: 2026-11-23 03:38:43.450213
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "casbin_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ptype", sa.String(length=255), nullable=True),
        sa.Column("v0", sa.String(length=255), nullable=True),
        sa.Column("v1", sa.String(length=255), nullable=True),
        sa.Column("v2", sa.String(length=255), nullable=True),
        sa.Column("v3", sa.String(length=255), nullable=True),
        sa.Column("v4", sa.String(length=255), nullable=True),
        sa.Column("v5", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casbin_rule")),
    )
    op.create_table(
        "districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_districts")),
        sa.UniqueConstraint("code", name=op.f("uq_districts_code")),
    )
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("bank_name", sa.String(length=64), nullable=True),
        sa.Column("bank_account", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_enterprises_credit_code")),
    )
    op.create_table(
        "owners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column(
            "verification",
            sa.Enum(
                "FACE",
                "OFFLINE",
                "UNVERIFIED",
                name="owner_verification",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owners")),
        sa.UniqueConstraint("id_number", name=op.f("uq_owners_id_number")),
    )
    with op.batch_alter_table("owners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_owners_phone"), ["phone"], unique=False)

    op.create_table(
        "streets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_streets_district_id_districts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streets")),
        sa.UniqueConstraint("code", name=op.f("uq_streets_code")),
    )
    with op.batch_alter_table("streets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_streets_district_id"), ["district_id"], unique=False)

    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_communities_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_communities_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("code", name=op.f("uq_communities_code")),
    )
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_communities_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_communities_street_id"), ["street_id"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "RESIDENTIAL",
                "URBAN_VILLAGE",
                "APARTMENT",
                "OFFICE",
                "COMMERCIAL",
                "INDUSTRIAL",
                "OTHER",
                name="project_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=256), nullable=True),
        sa.Column("service_phone", sa.String(length=32), nullable=True),
        sa.Column("total_area", sa.BigInteger(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_projects_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_projects_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_projects_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_projects_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_district_id"), ["district_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_projects_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_street_id"), ["street_id"], unique=False)

    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_buildings_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_buildings_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_buildings_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_buildings_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
    )
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_buildings_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_buildings_district_id"), ["district_id"], unique=False)
        batch_op.create_index("ix_buildings_project_id_id", ["project_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_buildings_street_id"), ["street_id"], unique=False)

    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("delegate_name", sa.String(length=64), nullable=False),
        sa.Column("delegate_phone", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=op.f("fk_delegations_owner_id_owners")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_delegations_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
    )
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegations_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delegations_project_id"), ["project_id"], unique=False)

    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
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
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "position",
            sa.Enum("HEAD", "CLERK", name="position", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("disabled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(role = 'CITY') OR (role = 'DISTRICT' AND district_id IS NOT NULL) OR (role = 'STREET' AND street_id IS NOT NULL) OR (role = 'COMMUNITY' AND community_id IS NOT NULL) OR (role = 'ENTERPRISE' AND enterprise_id IS NOT NULL) OR (role = 'MANAGER' AND project_id IS NOT NULL) OR (role = 'OWNER' AND owner_id IS NOT NULL) OR (role = 'DELEGATE' AND delegation_id IS NOT NULL)",
            name=op.f("ck_accounts_scope_matches_role"),
        ),
        sa.CheckConstraint(
            "(role IN ('CITY', 'DISTRICT', 'STREET', 'COMMUNITY')) = (position IS NOT NULL)",
            name=op.f("ck_accounts_position_for_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_accounts_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_accounts_delegation_id_delegations"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_accounts_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_accounts_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=op.f("fk_accounts_owner_id_owners")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_accounts_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_accounts_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("delegation_id", name=op.f("uq_accounts_delegation_id")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accounts_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_accounts_district_id"), ["district_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_accounts_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_accounts_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_role"), ["role"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_street_id"), ["street_id"], unique=False)
        batch_op.create_index(
            "uq_accounts_manager_project",
            ["project_id"],
            unique=True,
            sqlite_where=sa.text("role = 'MANAGER'"),
            postgresql_where=sa.text("role = 'MANAGER'"),
        )

    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("floor_area", sa.BigInteger(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_units_building_id_buildings")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_units_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_units_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_units_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_units_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index("ix_units_building_id_id", ["building_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_street_id"), ["street_id"], unique=False)

    op.create_table(
        "unit_owners",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_unit_owners_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_unit_owners_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=op.f("fk_unit_owners_owner_id_owners")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_unit_owners_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_unit_owners_street_id_streets")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_owners_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "owner_id", name=op.f("pk_unit_owners")),
    )
    with op.batch_alter_table("unit_owners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_owners_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_unit_owners_district_id"), ["district_id"], unique=False
        )
        batch_op.create_index(
            "ix_unit_owners_owner_id_unit_id", ["owner_id", "unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_unit_owners_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_owners_street_id"), ["street_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("unit_owners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_owners_street_id"))
        batch_op.drop_index(batch_op.f("ix_unit_owners_project_id"))
        batch_op.drop_index("ix_unit_owners_owner_id_unit_id")
        batch_op.drop_index(batch_op.f("ix_unit_owners_district_id"))
        batch_op.drop_index(batch_op.f("ix_unit_owners_community_id"))

    op.drop_table("unit_owners")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_street_id"))
        batch_op.drop_index(batch_op.f("ix_units_project_id"))
        batch_op.drop_index(batch_op.f("ix_units_district_id"))
        batch_op.drop_index(batch_op.f("ix_units_community_id"))
        batch_op.drop_index("ix_units_building_id_id")

    op.drop_table("units")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_accounts_manager_project",
            sqlite_where=sa.text("role = 'MANAGER'"),
            postgresql_where=sa.text("role = 'MANAGER'"),
        )
        batch_op.drop_index(batch_op.f("ix_accounts_street_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_role"))
        batch_op.drop_index(batch_op.f("ix_accounts_phone"))
        batch_op.drop_index(batch_op.f("ix_accounts_owner_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_district_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_community_id"))

    op.drop_table("accounts")
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegations_project_id"))
        batch_op.drop_index(batch_op.f("ix_delegations_owner_id"))

    op.drop_table("delegations")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buildings_street_id"))
        batch_op.drop_index("ix_buildings_project_id_id")
        batch_op.drop_index(batch_op.f("ix_buildings_district_id"))
        batch_op.drop_index(batch_op.f("ix_buildings_community_id"))

    op.drop_table("buildings")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_street_id"))
        batch_op.drop_index(batch_op.f("ix_projects_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_projects_district_id"))
        batch_op.drop_index(batch_op.f("ix_projects_community_id"))

    op.drop_table("projects")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communities_street_id"))
        batch_op.drop_index(batch_op.f("ix_communities_district_id"))

    op.drop_table("communities")
    with op.batch_alter_table("streets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_streets_district_id"))

    op.drop_table("streets")
    with op.batch_alter_table("owners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_owners_phone"))

    op.drop_table("owners")
    op.drop_table("enterprises")
    op.drop_table("districts")
    op.drop_table("casbin_rule")
