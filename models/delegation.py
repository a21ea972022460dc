"""An owner's delegation of their units in one project to a named person."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, UTCDateTime


class Delegation(Base):
    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    delegate_name: Mapped[str] = mapped_column(String(64))
    delegate_phone: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
