"""Owners' ratings of their project's property service (SPEC 3.2, seed 002 §8)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, UTCDateTime

# The five items of the owner manual's rating form, in its order.
RATING_ITEMS = ("SERVICE_ATTITUDE", "CLEANING", "SECURITY", "MAINTENANCE", "GREENING")


class Rating(Base):
    """One unit's stars for its project in one year; re-rating replaces them."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("project_id", "unit_id", "year", name="uq_ratings_project_unit_year"),
        *(
            CheckConstraint(f"{item.lower()} BETWEEN 1 AND 5", name=f"{item.lower()}_stars")
            for item in RATING_ITEMS
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    # Who rated; null for ratings entered with the data import.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    service_attitude: Mapped[int] = mapped_column(SmallInteger)
    cleaning: Mapped[int] = mapped_column(SmallInteger)
    security: Mapped[int] = mapped_column(SmallInteger)
    maintenance: Mapped[int] = mapped_column(SmallInteger)
    greening: Mapped[int] = mapped_column(SmallInteger)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime())
