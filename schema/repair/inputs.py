"""Inputs of the repair-project mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.file_uploads import Upload

from propgraph.schema.repair.enums import RepairKind, RepairStatus
from propgraph.schema.subsidy.enums import ReviewDecision
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


@strawberry.input(
    description="Open the owners' vote (DOUBLE_TWO_THIRDS) on a normal or simple draft."
)
class StartRepairVoteInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project.")
    version: int = strawberry.field(description="The version you read.")
    voting_starts_at: datetime = strawberry.field(description="Voting opens (with a UTC offset).")
    voting_ends_at: datetime = strawberry.field(description="Voting closes.")


@strawberry.input(description="A step that needs only the project and the version you read.")
class RepairStepInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project.")
    version: int = strawberry.field(description="The version you read.")


@strawberry.input(description="The district's decision on a submitted repair project.")
class ReviewRepairProjectInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project.")
    version: int = strawberry.field(description="The version you read.")
    decision: ReviewDecision = strawberry.field(description="APPROVE or REJECT.")
    comment: str | None = strawberry.field(default=None, description="Required when rejecting.")


@strawberry.input(description="One payment of one stage of the plan.")
class PayRepairStageInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project.")
    version: int = strawberry.field(description="The version you read.")
    stage: int = strawberry.field(description="The stage's index, from 1.")
    amount: Decimal = strawberry.field(description="Yuan, at most two decimals, above zero.")


@strawberry.input(description="The acceptance (验收) with its settled amount and publicity.")
class AcceptRepairProjectInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project.")
    version: int = strawberry.field(description="The version you read.")
    settled_amount: Decimal = strawberry.field(
        description="结算金额, yuan: payments stop there; a simple project's equals its budget."
    )


@strawberry.input(description="Cancel (撤销) a repair project with nothing paid left.")
class CancelRepairProjectInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project.")
    version: int = strawberry.field(description="The version you read.")
    reason: str = strawberry.field(description="Why, as published in the cancellation notice.")


@strawberry.input(
    description="导入分摊 (multipart): a draft's shares as edited in the sheet exported from "
    "GET /exports/repair-projects/{id}/shares.xlsx; the budget becomes their sum."
)
class ImportRepairSharesInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The repair project, a draft.")
    version: int = strawberry.field(description="The version you read.")
    file: Upload = strawberry.field(
        description="The XLSX sheet: every sharing unit once, only the amount column edited "
        "(yuan, at most two decimals, above zero; numbers, no formulas); at most 5 MB."
    )
    stages: list[StageInput] | None = strawberry.field(
        default=None,
        description="The new disbursement plan, adding up to the new budget. Without it a "
        "plan that still adds up stays, a one-stage plan takes the new budget, and a plan of "
        "several stages that no longer adds up is refused (nothing is scaled).",
    )
