"""Node kinds of office work, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select

from propgraph.models import (
    Evaluation,
    EvaluationStatus,
    Half,
    Project,
    TenderFiling,
    TenderProposal,
    TenderStatus,
)
from propgraph.resolvers.graph.kinds import NodeKind


class EvaluationRow(Protocol):
    """A row of ``EVALUATION.columns()``."""

    id: int
    project_id: int
    community_id: int
    street_id: int
    district_id: int
    year: int
    half: Half
    status: EvaluationStatus
    community_score: Decimal
    score: Decimal
    comment: str | None
    review_comment: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    project_name: str


class FilingRow(Protocol):
    """A row of ``TENDER_FILING.columns()``."""

    id: int
    project_id: int
    enterprise_id: int
    community_id: int
    street_id: int
    district_id: int
    title: str
    status: TenderStatus
    filed_at: datetime
    filed_on: date
    proposal: TenderProposal | None
    remark: str | None
    decision_comment: str | None
    decided_on: date | None
    working_days: int | None
    version: int
    updated_at: datetime
    project_name: str


EVALUATION = NodeKind(
    "Evaluation",
    Evaluation,
    "evaluations",
    lambda: select(
        Evaluation.id,
        Evaluation.project_id,
        Evaluation.community_id,
        Evaluation.street_id,
        Evaluation.district_id,
        Evaluation.year,
        Evaluation.half,
        Evaluation.status,
        Evaluation.community_score,
        Evaluation.score,
        Evaluation.comment,
        Evaluation.review_comment,
        Evaluation.version,
        Evaluation.created_at,
        Evaluation.updated_at,
        Project.name.label("project_name"),
    ).join(Project, Project.id == Evaluation.project_id),
)

TENDER_FILING = NodeKind(
    "TenderFiling",
    TenderFiling,
    "tender_filings",
    lambda: select(
        TenderFiling.id,
        TenderFiling.project_id,
        TenderFiling.enterprise_id,
        TenderFiling.community_id,
        TenderFiling.street_id,
        TenderFiling.district_id,
        TenderFiling.title,
        TenderFiling.status,
        TenderFiling.filed_at,
        TenderFiling.filed_on,
        TenderFiling.proposal,
        TenderFiling.remark,
        TenderFiling.decision_comment,
        TenderFiling.decided_on,
        TenderFiling.working_days,
        TenderFiling.version,
        TenderFiling.updated_at,
        Project.name.label("project_name"),
    ).join(Project, Project.id == TenderFiling.project_id),
)
