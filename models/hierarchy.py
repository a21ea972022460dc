"""The administrative and physical hierarchy: District → … → Unit.

Each row stores every ancestor id. Subtree queries are therefore a single
equality on an indexed column (``units.street_id = :s``), which is what the
scope compiler in ``authz/scope.py`` emits.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, ScaledDecimal
from propgraph.models.columns import ancestor, enum_type
from propgraph.models.enums import ProjectKind


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class Street(Base):
    __tablename__ = "streets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    district_id: Mapped[int] = ancestor("districts")


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[ProjectKind] = mapped_column(enum_type(ProjectKind, "project_kind"))
    address: Mapped[str | None] = mapped_column(String(256))
    service_phone: Mapped[str | None] = mapped_column(String(32))
    # m², exact to the hundredth.
    total_area: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id"), index=True, nullable=True
    )
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (Index("ix_buildings_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (Index("ix_units_building_id_id", "building_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    floor_area: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"))
    project_id: Mapped[int] = ancestor("projects")
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
