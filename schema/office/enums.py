"""Enums of office work."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import strawberry

from propgraph.models import office
from propgraph.workflows import workdays

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.models.office import EvaluationStatus as EvaluationStatus
    from propgraph.models.office import Half as Half
    from propgraph.models.office import TenderProposal as TenderProposal
    from propgraph.models.office import TenderStatus as TenderStatus
    from propgraph.workflows.workdays import Timeliness as Timeliness
else:
    Half = strawberry.enum(office.Half, description="H1: scored 1–30 June; H2: 1–30 December.")
    EvaluationStatus = strawberry.enum(
        office.EvaluationStatus, description="SCORED by the community; APPROVED by the street."
    )
    TenderStatus = strawberry.enum(office.TenderStatus, description="Where a tender filing stands.")
    TenderProposal = strawberry.enum(
        office.TenderProposal, description="The street clerk's opinion."
    )
    Timeliness = strawberry.enum(
        workdays.Timeliness,
        description="Working days since filing: ≤5 NORMAL, 6–9 OVERDUE, ≥10 SEVERELY_OVERDUE.",
    )


@strawberry.enum(description="The street head's decision on a reviewed filing.")
class TenderDecision(enum.Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    RETURN_TO_CLERK = "RETURN_TO_CLERK"
