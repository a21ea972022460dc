"""Node kinds of office work, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import Evaluation, Project, TenderFiling
from propgraph.resolvers.graph.kinds import NodeKind

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
