"""Enums of office work."""

from __future__ import annotations

import enum

import strawberry

from propgraph.models import office
from propgraph.workflows import workdays

Half = strawberry.enum(office.Half, description="H1: scored 1–30 June; H2: 1–30 December.")
EvaluationStatus = strawberry.enum(
    office.EvaluationStatus, description="SCORED by the community; APPROVED by the street."
)
TenderStatus = strawberry.enum(office.TenderStatus, description="Where a tender filing stands.")
TenderProposal = strawberry.enum(office.TenderProposal, description="The street clerk's opinion.")
Timeliness = strawberry.enum(
    workdays.Timeliness,
    description="Working days since filing: ≤5 NORMAL, 6–9 OVERDUE, ≥10 SEVERELY_OVERDUE.",
)


@strawberry.enum(description="The street head's decision on a reviewed filing.")
class TenderDecision(enum.Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    RETURN_TO_CLERK = "RETURN_TO_CLERK"
