"""Records every workflow shares: the audit trail, the notification outbox, to-dos."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, UTCDateTime
from propgraph.models.columns import enum_type
from propgraph.models.enums import Position, Role


class Channel(enum.StrEnum):
    SMS = "SMS"
    WECHAT = "WECHAT"


class TodoStatus(enum.StrEnum):
    PENDING = "PENDING"  # 待办
    DONE = "DONE"  # 已办


class AuditEntry(Base):
    """Append-only: the migration installs triggers refusing UPDATE and DELETE."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_subject", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    # No foreign key: the trail outlives a deleted draft.
    subject_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_username: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[Role] = mapped_column(enum_type(Role, "actor_role"))
    actor_position: Mapped[Position | None] = mapped_column(enum_type(Position, "actor_position"))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """The outbox: written in the transaction of the change, delivered afterwards."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"))
    # An account (WECHAT pushes to an office's accounts) or a phone number
    # (SMS to the manager); a phone's notifications show for every account
    # with that phone.
    recipient_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    recipient_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    template: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationRead(Base):
    """Read receipts, per account (a phone's notification may reach several)."""

    __tablename__ = "notification_reads"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Todo(Base):
    """A work item (待办) for the accounts of one role at one scope node.

    Pending items are addressed to a level (role + scope node), not a person:
    any account of that office may act. Once someone acts, the item is done
    and shows in that person's done list (已办).
    """

    __tablename__ = "todos"
    __table_args__ = (
        Index("ix_todos_subject", "subject_type", "subject_id"),
        Index("ix_todos_addressee", "status", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[Role] = mapped_column(enum_type(Role, "todo_role"))
    # The addressed office's scope node: exactly the column of its role.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    # Owners and delegates (a voter's to-do per open meeting).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"), index=True)
    status: Mapped[TodoStatus] = mapped_column(enum_type(TodoStatus, "todo_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
