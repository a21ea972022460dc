"""Accounts: one role, one scope, one optional office position each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, UTCDateTime
from propgraph.models.columns import enum_type
from propgraph.models.enums import Position, Role

# The one scope column each role must fill (CITY has none).
SCOPE_COLUMN: dict[Role, str | None] = {
    Role.CITY: None,
    Role.DISTRICT: "district_id",
    Role.STREET: "street_id",
    Role.COMMUNITY: "community_id",
    Role.ENTERPRISE: "enterprise_id",
    Role.MANAGER: "project_id",
    Role.OWNER: "owner_id",
    Role.DELEGATE: "delegation_id",
}

_scope_rule = " OR ".join(
    f"(role = '{role.value}' AND {column} IS NOT NULL)" if column else f"(role = '{role.value}')"
    for role, column in SCOPE_COLUMN.items()
)
_offices = ", ".join(f"'{r}'" for r in ("CITY", "DISTRICT", "STREET", "COMMUNITY"))


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(_scope_rule, name="scope_matches_role"),
        CheckConstraint(
            f"(role IN ({_offices})) = (position IS NOT NULL)", name="position_for_offices"
        ),
        # One manager per project, and (one scope per account) one project per manager.
        Index(
            "uq_accounts_manager_project",
            "project_id",
            unique=True,
            sqlite_where=text("role = 'MANAGER'"),
            postgresql_where=text("role = 'MANAGER'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), index=True)
    position: Mapped[Position | None] = mapped_column(enum_type(Position, "position"))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
