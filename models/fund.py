"""Special maintenance funds (专项维修资金, SPEC 3.4): one ledger account per unit.

``fund_accounts`` holds each unit's running totals; the database itself
refuses a row whose balance is not ``deposits - debits + refunds`` or is
negative, so no write path can overdraw a unit or let the totals drift.
``fund_entries`` is the journal of every movement after the opening
deposit (a repair payment's debit, a refund, a further deposit); each
movement updates its account in the same transaction.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, Cents, UTCDateTime
from propgraph.models.columns import ancestor, enum_type


class FundEntryKind(enum.StrEnum):
    DEPOSIT = "DEPOSIT"  # 交存
    DEBIT = "DEBIT"  # 使用 (a repair payment)
    REFUND = "REFUND"  # 退回


class FundAccount(Base):
    """A unit's maintenance-fund account; money in yuan, stored as fen."""

    __tablename__ = "fund_accounts"
    __table_args__ = (
        CheckConstraint("balance = deposits - debits + refunds", name="ledger"),
        CheckConstraint("balance >= 0", name="not_overdrawn"),
        CheckConstraint("deposits >= 0 AND debits >= 0 AND refunds >= 0", name="totals"),
    )

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    deposits: Mapped[Decimal] = mapped_column(Cents())
    debits: Mapped[Decimal] = mapped_column(Cents())
    refunds: Mapped[Decimal] = mapped_column(Cents())
    balance: Mapped[Decimal] = mapped_column(Cents())
    building_id: Mapped[int] = ancestor("buildings")
    project_id: Mapped[int] = ancestor("projects")
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")


class FundEntry(Base):
    """One movement of a unit's fund account (append-only)."""

    __tablename__ = "fund_entries"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("fund_accounts.unit_id"), index=True)
    kind: Mapped[FundEntryKind] = mapped_column(enum_type(FundEntryKind, "fund_entry_kind"))
    amount: Mapped[Decimal] = mapped_column(Cents())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the movement is for, e.g. "repair_project:12"; free text for deposits.
    reference: Mapped[str | None] = mapped_column(String(64))
    project_id: Mapped[int] = ancestor("projects")
