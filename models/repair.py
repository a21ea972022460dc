"""Repair projects paid from the maintenance funds (维修资金使用, SPEC 3.4)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, Cents, ScaledDecimal, UTCDateTime
from propgraph.models.columns import ancestor, enum_type


class RepairKind(enum.StrEnum):
    NORMAL = "NORMAL"  # 一般维修
    EMERGENCY = "EMERGENCY"  # 应急维修: no owners' vote
    SIMPLE = "SIMPLE"  # 简易程序: paid once, after acceptance


class RepairStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    VOTING = "VOTING"
    PUBLICITY = "PUBLICITY"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    ACCEPTED = "ACCEPTED"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class RepairProject(Base):
    __tablename__ = "repair_projects"
    __table_args__ = (
        CheckConstraint("budget > 0", name="budget_positive"),
        CheckConstraint("paid >= 0 AND paid <= budget", name="paid_within_budget"),
        CheckConstraint(
            "settled_amount IS NULL OR (settled_amount > 0 AND settled_amount <= budget "
            "AND paid <= settled_amount)",
            name="settled_within_budget",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = ancestor("projects")
    enterprise_id: Mapped[int | None] = ancestor("enterprises", nullable=True)
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
    kind: Mapped[RepairKind] = mapped_column(enum_type(RepairKind, "repair_kind"))
    title: Mapped[str] = mapped_column(String(128))
    status: Mapped[RepairStatus] = mapped_column(enum_type(RepairStatus, "repair_status"))
    facilities: Mapped[list[str]] = mapped_column(JSON)
    budget: Mapped[Decimal] = mapped_column(Cents())
    paid: Mapped[Decimal] = mapped_column(Cents())
    version: Mapped[int] = mapped_column(Integer)
    # The owners' meeting voting on it (NORMAL and SIMPLE), once started.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    # The acceptance (验收) and its settled amount (结算金额): payments stop there.
    settled_amount: Mapped[Decimal | None] = mapped_column(Cents())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RepairShare(Base):
    """One unit's part of a repair's cost, fixed by floor area when the project is made."""

    __tablename__ = "repair_shares"
    __table_args__ = (
        UniqueConstraint("repair_project_id", "unit_id", name="uq_repair_shares_project_unit"),
        CheckConstraint("amount >= 0 AND paid >= 0 AND paid <= amount", name="paid_within_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    repair_project_id: Mapped[int] = mapped_column(ForeignKey("repair_projects.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    area: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    amount: Mapped[Decimal] = mapped_column(Cents())
    paid: Mapped[Decimal] = mapped_column(Cents())


class RepairStage(Base):
    """One stage of the disbursement plan (拨付计划)."""

    __tablename__ = "repair_stages"
    __table_args__ = (
        CheckConstraint("amount > 0 AND paid >= 0 AND paid <= amount", name="paid_within_stage"),
    )

    repair_project_id: Mapped[int] = mapped_column(
        ForeignKey("repair_projects.id"), primary_key=True
    )
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Cents())
    paid: Mapped[Decimal] = mapped_column(Cents())
