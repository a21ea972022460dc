"""Epidemic-prevention subsidy (疫情防控补贴, SPEC 3.1): rounds, applications, evidence, batches."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, Cents, ScaledDecimal, UTCDateTime
from propgraph.models.columns import ancestor, enum_type
from propgraph.models.enums import ProjectKind


class SubsidyStatus(enum.StrEnum):
    DRAFT = "DRAFT"  # the enterprise is filling it in
    SUBMITTED = "SUBMITTED"  # the manager submitted; the community reviews
    COMMUNITY_APPROVED = "COMMUNITY_APPROVED"  # the street reviews
    STREET_APPROVED = "STREET_APPROVED"  # the district reviews
    DISTRICT_APPROVED = "DISTRICT_APPROVED"  # waiting to be reported in a batch
    REPORTED = "REPORTED"  # in a batch; the amount is fixed
    PAID = "PAID"
    RETURNED = "RETURNED"  # rejected; back with the manager to fix and resubmit


class EvidenceKind(enum.StrEnum):
    CONTRACT = "CONTRACT"  # 物业服务合同
    AREA_TABLE = "AREA_TABLE"  # 房屋建筑面积总表
    COMPLETION_REPORT = "COMPLETION_REPORT"  # 竣工验收报告
    OTHER = "OTHER"


class SubsidyRound(Base):
    __tablename__ = "subsidy_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    # yuan per m² per month, exact to 1/10000 yuan
    rate_per_sqm_month: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    months: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubsidyApplication(Base):
    __tablename__ = "subsidy_applications"
    __table_args__ = (
        # One application per project per round (DUPLICATE otherwise).
        UniqueConstraint("round_id", "project_id", name="uq_subsidy_applications_round_project"),
        Index("ix_subsidy_applications_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("subsidy_rounds.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    # The project's ancestors and enterprise when the application was made:
    # scoped queries and dashboards filter and group on them directly.
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
    status: Mapped[SubsidyStatus] = mapped_column(enum_type(SubsidyStatus, "subsidy_status"))
    manager_name: Mapped[str] = mapped_column(String(64))
    manager_phone: Mapped[str] = mapped_column(String(20))
    property_type: Mapped[ProjectKind] = mapped_column(enum_type(ProjectKind, "property_type"))
    recorded_area: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    area: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    # The enterprise's one receiving account, as it was when applying.
    bank_account: Mapped[str] = mapped_column(String(32))
    pledge_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    area_confirmed: Mapped[bool] = mapped_column(default=False)
    amount: Mapped[Decimal | None] = mapped_column(Cents())
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("subsidy_batches.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Evidence(Base):
    """An uploaded document; the file itself lives in the upload folder.

    It belongs to exactly one subsidy application (supporting evidence) or one
    owners' meeting (its documents, 会议材料); the table keeps its first name.
    """

    __tablename__ = "subsidy_evidence"
    __table_args__ = (
        CheckConstraint("(application_id IS NULL) <> (meeting_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("subsidy_applications.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_type(EvidenceKind, "evidence_kind"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_as: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubsidyBatch(Base):
    """A district's report of approved applications (集中报送); fixes their amounts."""

    __tablename__ = "subsidy_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("subsidy_rounds.id"), index=True)
    district_id: Mapped[int] = ancestor("districts")
    total_amount: Mapped[Decimal] = mapped_column(Cents())
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_on: Mapped[date | None]
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))


__all__ = [
    "Evidence",
    "EvidenceKind",
    "SubsidyApplication",
    "SubsidyBatch",
    "SubsidyRound",
    "SubsidyStatus",
]
