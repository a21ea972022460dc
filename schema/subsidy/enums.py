"""Enums of the subsidy workflow."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import strawberry

from propgraph.models import subsidy

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.models.subsidy import EvidenceKind as EvidenceKind
    from propgraph.models.subsidy import SubsidyStatus as SubsidyStatus
else:
    SubsidyStatus = strawberry.enum(
        subsidy.SubsidyStatus, description="Where an application stands."
    )
    EvidenceKind = strawberry.enum(
        subsidy.EvidenceKind,
        description="合同 contract, 面积总表 area table, 竣工验收报告 completion report, other.",
    )


@strawberry.enum(description="A reviewer's decision.")
class ReviewDecision(enum.Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
