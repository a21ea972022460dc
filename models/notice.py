"""Notices (通知发布, SPEC 3.3, seed 001 §16): an office's notice to the managers below it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, UTCDateTime
from propgraph.models.columns import enum_type
from propgraph.models.enums import Position, Role


class Notice(Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # PUBLISHED (the table's one state)
    # The publishing office: its role and scope node (none for the city).
    publisher_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    publisher_username: Mapped[str] = mapped_column(String(64))
    publisher_role: Mapped[Role] = mapped_column(enum_type(Role, "publisher_role"))
    publisher_position: Mapped[Position | None] = mapped_column(
        enum_type(Position, "publisher_position")
    )
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    urged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class NoticeRecipient(Base):
    """One MANAGER account the notice was addressed to, and when it read it."""

    __tablename__ = "notice_recipients"

    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True, index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


__all__ = ["Notice", "NoticeRecipient"]
