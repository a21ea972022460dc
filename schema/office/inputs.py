"""Inputs of office work."""

from __future__ import annotations

import strawberry

from propgraph.schema.office.enums import (
    EvaluationStatus,
    Half,
    TenderDecision,
    TenderProposal,
    TenderStatus,
    Timeliness,
)
from propgraph.schema.text import CheckedInput


@strawberry.input(description="Narrow the evaluations list.")
class EvaluationFilter(CheckedInput):
    year: int | None = None
    half: Half | None = None
    status: EvaluationStatus | None = None


@strawberry.input(description="A community's half-year score of one of its projects.")
class ScoreProjectInput(CheckedInput):
    project_id: strawberry.ID = strawberry.field(description="The project.")
    year: int = strawberry.field(description="The year evaluated.")
    half: Half = strawberry.field(description="The half evaluated; only inside its window.")
    score: float = strawberry.field(description="0–100, at most one decimal.")
    comment: str | None = strawberry.field(default=None, description="Remarks.")


@strawberry.input(description="A street clerk's approval; `score` re-scores.")
class ApproveEvaluationInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The evaluation.")
    version: int = strawberry.field(description="The version you read.")
    score: float | None = strawberry.field(default=None, description="A new score, if any.")
    comment: str = strawberry.field(description="The review comment (required).")


@strawberry.input(description="Narrow the tender filings list.")
class TenderFilingFilter(CheckedInput):
    status: TenderStatus | None = None
    timeliness: Timeliness | None = None


@strawberry.input(description="File a tender document, or refile a rejected one (`id`).")
class FileTenderInput(CheckedInput):
    project_id: strawberry.ID = strawberry.field(description="The project.")
    title: str = strawberry.field(description="The tender document's title.")
    id: strawberry.ID | None = strawberry.field(
        default=None, description="A REJECTED filing of this project to file again."
    )
    version: int | None = strawberry.field(
        default=None, description="The version you read, when refiling."
    )


@strawberry.input(description="The street clerk's first opinion.")
class GiveTenderOpinionInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The filing.")
    version: int = strawberry.field(description="The version you read.")
    proposal: TenderProposal = strawberry.field(description="Propose approve or reject.")
    remark: str = strawberry.field(description="The clerk's remark (required).")


@strawberry.input(description="The street head's decision.")
class DecideTenderInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The filing.")
    version: int = strawberry.field(description="The version you read.")
    decision: TenderDecision = strawberry.field(description="Approve, reject, or return.")
    comment: str | None = strawberry.field(
        default=None, description="Reason; required to reject or return."
    )
