"""Inputs of the subsidy workflow (names fixed by CONTRACT.md)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.file_uploads import Upload

from propgraph.schema.graph.enums import ProjectKind
from propgraph.schema.subsidy.enums import EvidenceKind, ReviewDecision, SubsidyStatus
from propgraph.schema.text import CheckedInput


@strawberry.input(description="Narrow a list of applications.")
class SubsidyApplicationFilter(CheckedInput):
    status: SubsidyStatus | None = strawberry.field(default=None, description="Only this status.")
    round_id: strawberry.ID | None = strawberry.field(default=None, description="Only this round.")


@strawberry.input(description="Open a subsidy round (city).")
class OpenSubsidyRoundInput(CheckedInput):
    name: str = strawberry.field(description="e.g. 2020年物业服务企业疫情防控补贴.")
    rate_per_sqm_month: float = strawberry.field(description="Yuan per m² per month, e.g. 0.5.")
    months: int = strawberry.field(description="Months covered, e.g. 2.")
    opens_on: date = strawberry.field(description="First day of the application window.")
    closes_on: date = strawberry.field(description="Last day of the application window.")


@strawberry.input(description="Create a draft application for one of your projects (enterprise).")
class CreateSubsidyApplicationInput(CheckedInput):
    round_id: strawberry.ID
    project_id: strawberry.ID
    manager_name: str = strawberry.field(description="The project manager who will submit it.")
    manager_phone: str = strawberry.field(description="The manager's mobile number.")
    property_type: ProjectKind
    area: float | None = strawberry.field(
        default=None, description="m²; defaults to the project's recorded total area."
    )


@strawberry.input(description="Edit a draft (enterprise). Omitted fields stay as they are.")
class UpdateSubsidyApplicationInput(CheckedInput):
    id: strawberry.ID
    version: int
    manager_name: str | None = None
    manager_phone: str | None = None
    property_type: ProjectKind | None = None
    area: float | None = None


@strawberry.input(description="Delete a draft (enterprise).")
class DeleteSubsidyApplicationInput(CheckedInput):
    id: strawberry.ID
    version: int


@strawberry.input(description="Upload a supporting document (manager); multipart request.")
class UploadEvidenceInput(CheckedInput):
    application_id: strawberry.ID
    kind: EvidenceKind
    file: Upload = strawberry.field(description="PDF, JPEG or PNG.")


@strawberry.input(description="Submit to the community (manager), accepting the pledge letter.")
class SubmitSubsidyApplicationInput(CheckedInput):
    id: strawberry.ID
    version: int
    accept_pledge: bool = strawberry.field(
        description="承诺函: no duplicate application. Must be true."
    )
    area: float | None = strawberry.field(
        default=None, description="A corrected area; needs at least one piece of evidence."
    )
    evidence_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Evidence of this application supporting a changed area."
    )


@strawberry.input(description="Approve or reject at your level (community, street, district).")
class ReviewSubsidyApplicationInput(CheckedInput):
    id: strawberry.ID
    version: int
    decision: ReviewDecision
    comment: str | None = strawberry.field(default=None, description="Required when rejecting.")
    confirm_area: bool | None = strawberry.field(
        default=None, description="Street: confirm a changed area when approving."
    )


@strawberry.input(description="Report district-approved applications in one batch (district).")
class ReportSubsidyBatchInput(CheckedInput):
    round_id: strawberry.ID
    application_ids: list[strawberry.ID]


@strawberry.input(description="Record that a batch was paid (district).")
class MarkSubsidyBatchPaidInput(CheckedInput):
    batch_id: strawberry.ID
    paid_on: date
