"""Node kinds of the subsidy workflow, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import Evidence, Project, SubsidyApplication, SubsidyBatch, SubsidyRound
from propgraph.resolvers.graph.kinds import NodeKind

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
