"""Payloads of the repair-project mutations: the changed object and ``errors``."""

from __future__ import annotations

import strawberry

from propgraph.schema.errors import UserError
from propgraph.schema.repair.types import RepairProject, RepairShare


@strawberry.type
class RepairProjectPayload:
    repair_project: RepairProject | None = None
    shortfalls: list[RepairShare] = strawberry.field(
        default_factory=list,
        description="Sharing units whose fund balance is short of their share: reported, "
        "never overdrawn (a payment will not take more than a unit holds).",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)
