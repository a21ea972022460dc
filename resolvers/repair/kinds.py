"""Node kinds of the repair projects, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import FundAccount, RepairProject, RepairShare, Unit
from propgraph.resolvers.graph.dataloaders import ChildRelation
from propgraph.resolvers.graph.kinds import NodeKind

REPAIR_PROJECT = NodeKind(
    "RepairProject",
    RepairProject,
    "repair_projects",
    lambda: select(
        RepairProject.id,
        RepairProject.project_id,
        RepairProject.enterprise_id,
        RepairProject.community_id,
        RepairProject.street_id,
        RepairProject.district_id,
        RepairProject.kind,
        RepairProject.title,
        RepairProject.status,
        RepairProject.facilities,
        RepairProject.budget,
        RepairProject.paid,
        RepairProject.version,
        RepairProject.meeting_id,
        RepairProject.settled_amount,
        RepairProject.accepted_at,
        RepairProject.created_at,
    ),
)

# Not a node (RepairShare has no id of its own in the API), but paged like one:
# its rows come with the unit's columns and the unit's current fund balance.
REPAIR_SHARE = NodeKind(
    "RepairShare",
    RepairShare,
    "repair_shares",
    lambda: (
        select(
            RepairShare.id,
            RepairShare.repair_project_id,
            RepairShare.unit_id,
            RepairShare.area,
            RepairShare.amount,
            RepairShare.paid,
            FundAccount.balance,
            Unit.number,
            Unit.floor_area,
            Unit.building_id,
        )
        .join(Unit, Unit.id == RepairShare.unit_id)
        .join(FundAccount, FundAccount.unit_id == RepairShare.unit_id)
    ),
)

SHARES_BY_REPAIR_PROJECT = ChildRelation(REPAIR_SHARE, RepairShare.repair_project_id)
