"""Inputs of the repair-project mutations."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from propgraph.schema.repair.enums import RepairKind, RepairStatus
from propgraph.schema.text import CheckedInput


@strawberry.input(description="One stage of a disbursement plan.")
class StageInput(CheckedInput):
    name: str = strawberry.field(description="e.g. 预付款.")
    amount: Decimal = strawberry.field(description="Yuan, at most two decimals, above zero.")


@strawberry.input(description="A repair project of one property project, as a draft.")
class CreateRepairProjectInput(CheckedInput):
    project_id: strawberry.ID = strawberry.field(description="The property project.")
    kind: RepairKind = strawberry.field(description="Normal, emergency or simple.")
    title: str = strawberry.field(description="What is repaired.")
    facilities: list[str] = strawberry.field(description="The shared parts repaired.")
    budget: Decimal = strawberry.field(description="Yuan, at most two decimals, above zero.")
    unit_ids: list[strawberry.ID] = strawberry.field(
        description="The units sharing the cost (by floor area), all of the project."
    )
    stages: list[StageInput] = strawberry.field(
        description="The disbursement plan; the amounts add up to the budget."
    )


@strawberry.input(description="Which repair projects to list.")
class RepairProjectFilter(CheckedInput):
    status: RepairStatus | None = strawberry.field(default=None, description="Only this status.")
    kind: RepairKind | None = strawberry.field(default=None, description="Only this kind.")
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this property project's."
    )
