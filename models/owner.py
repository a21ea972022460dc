"""Owners (业主) and their many-to-many link to units."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base
from propgraph.models.columns import ancestor, enum_type
from propgraph.models.enums import OwnerVerification


class Owner(Base):
    __tablename__ = "owners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # Personal data: shown in full only to the owner and to offices whose
    # subtree holds one of the owner's units (see authz/masking.py).
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    verification: Mapped[OwnerVerification] = mapped_column(
        enum_type(OwnerVerification, "owner_verification"),
        default=OwnerVerification.UNVERIFIED,
    )


class UnitOwner(Base):
    """Who owns which unit; carries the unit's ancestors for scoped owner queries."""

    __tablename__ = "unit_owners"
    __table_args__ = (Index("ix_unit_owners_owner_id_unit_id", "owner_id", "unit_id"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), primary_key=True)
    project_id: Mapped[int] = ancestor("projects")
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
