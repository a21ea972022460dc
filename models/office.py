"""Office work (SPEC 3.3, seed 001): half-year evaluations and tender-document filings."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, ScaledDecimal, UTCDateTime
from propgraph.models.columns import ancestor, enum_type


class Half(enum.StrEnum):
    H1 = "H1"  # scored 1–30 June
    H2 = "H2"  # scored 1–30 December


class EvaluationStatus(enum.StrEnum):
    SCORED = "SCORED"  # the community scored it; a street clerk reviews
    APPROVED = "APPROVED"  # final


class TenderStatus(enum.StrEnum):
    FILED = "FILED"  # waiting for the street clerk's opinion
    CLERK_REVIEWED = "CLERK_REVIEWED"  # waiting for the street head's decision
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"  # the filer may fix and refile


class TenderProposal(enum.StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


class Evaluation(Base):
    """One project's score for one half-year (物业项目半年考评)."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "half", name="uq_evaluations_project_half"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
    year: Mapped[int] = mapped_column(Integer)
    half: Mapped[Half] = mapped_column(enum_type(Half, "half"))
    status: Mapped[EvaluationStatus] = mapped_column(
        enum_type(EvaluationStatus, "evaluation_status")
    )
    community_score: Mapped[Decimal] = mapped_column(ScaledDecimal(1))
    score: Mapped[Decimal] = mapped_column(ScaledDecimal(1))  # the reviewed score
    comment: Mapped[str | None] = mapped_column(Text)
    review_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TenderFiling(Base):
    """A tender document filed for a project (招标文件备案)."""

    __tablename__ = "tender_filings"
    __table_args__ = (Index("ix_tender_filings_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[TenderStatus] = mapped_column(enum_type(TenderStatus, "tender_status"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    filed_on: Mapped[date]  # the city's date of filing: working days count from it
    proposal: Mapped[TenderProposal | None] = mapped_column(
        enum_type(TenderProposal, "tender_proposal")
    )
    remark: Mapped[str | None] = mapped_column(Text)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]
    # Fixed when the head approves or rejects; counted up to today until then.
    working_days: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = [
    "Evaluation",
    "EvaluationStatus",
    "Half",
    "TenderFiling",
    "TenderProposal",
    "TenderStatus",
]
