"""Node kinds of the subsidy workflow, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select

from propgraph.models import (
    Evidence,
    EvidenceKind,
    Project,
    ProjectKind,
    SubsidyApplication,
    SubsidyBatch,
    SubsidyRound,
    SubsidyStatus,
)
from propgraph.resolvers.graph.kinds import NodeKind


class RoundRow(Protocol):
    """A row of ``SUBSIDY_ROUND.columns()``."""

    id: int
    name: str
    rate_per_sqm_month: Decimal
    months: int
    opens_on: date
    closes_on: date


class ApplicationRow(Protocol):
    """A row of ``SUBSIDY_APPLICATION.columns()``: what a mutation reads, the
    machine moves and the type answers with."""

    id: int
    round_id: int
    project_id: int
    enterprise_id: int
    community_id: int
    street_id: int
    district_id: int
    status: SubsidyStatus
    manager_name: str
    manager_phone: str
    property_type: ProjectKind
    recorded_area: Decimal
    area: Decimal
    bank_account: str
    pledge_accepted_at: datetime | None
    area_confirmed: bool
    amount: Decimal | None
    batch_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    project_name: str


class EvidenceRow(Protocol):
    """A row of ``EVIDENCE.columns()``: an application's evidence or a meeting's document."""

    id: int
    application_id: int | None
    meeting_id: int | None
    kind: EvidenceKind
    filename: str
    content_type: str
    size: int
    created_at: datetime


class BatchRow(Protocol):
    """A row of ``SUBSIDY_BATCH.columns()``."""

    id: int
    round_id: int
    district_id: int
    total_amount: Decimal
    reported_at: datetime
    paid_on: date | None


SUBSIDY_ROUND = NodeKind(
    "SubsidyRound",
    SubsidyRound,
    "subsidy_rounds",
    lambda: select(
        SubsidyRound.id,
        SubsidyRound.name,
        SubsidyRound.rate_per_sqm_month,
        SubsidyRound.months,
        SubsidyRound.opens_on,
        SubsidyRound.closes_on,
    ),
)

APPLICATION_COLUMNS = (
    SubsidyApplication.id,
    SubsidyApplication.round_id,
    SubsidyApplication.project_id,
    SubsidyApplication.enterprise_id,
    SubsidyApplication.community_id,
    SubsidyApplication.street_id,
    SubsidyApplication.district_id,
    SubsidyApplication.status,
    SubsidyApplication.manager_name,
    SubsidyApplication.manager_phone,
    SubsidyApplication.property_type,
    SubsidyApplication.recorded_area,
    SubsidyApplication.area,
    SubsidyApplication.bank_account,
    SubsidyApplication.pledge_accepted_at,
    SubsidyApplication.area_confirmed,
    SubsidyApplication.amount,
    SubsidyApplication.batch_id,
    SubsidyApplication.version,
    SubsidyApplication.created_at,
    SubsidyApplication.updated_at,
    Project.name.label("project_name"),
)

SUBSIDY_APPLICATION = NodeKind(
    "SubsidyApplication",
    SubsidyApplication,
    "subsidy_applications",
    lambda: select(*APPLICATION_COLUMNS).join(Project, Project.id == SubsidyApplication.project_id),
)

EVIDENCE = NodeKind(
    "Evidence",
    Evidence,
    "evidence",
    lambda: select(
        Evidence.id,
        Evidence.application_id,
        Evidence.meeting_id,
        Evidence.kind,
        Evidence.filename,
        Evidence.content_type,
        Evidence.size,
        Evidence.created_at,
    ),
)

SUBSIDY_BATCH = NodeKind(
    "SubsidyBatch",
    SubsidyBatch,
    "subsidy_batches",
    lambda: select(
        SubsidyBatch.id,
        SubsidyBatch.round_id,
        SubsidyBatch.district_id,
        SubsidyBatch.total_amount,
        SubsidyBatch.reported_at,
        SubsidyBatch.paid_on,
    ),
)
