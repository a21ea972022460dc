"""Types of office work: evaluations, their yearly scores, tender filings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import strawberry

from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.office.dataloaders import TimelineBySubjectLoader
from propgraph.schema.context import Info
from propgraph.schema.graph.types import Project
from propgraph.schema.office.enums import (
    EvaluationStatus,
    Half,
    TenderProposal,
    TenderStatus,
    Timeliness,
)
from propgraph.schema.relay import Node, to_global_id
from propgraph.schema.subsidy.types import AuditEntry
from propgraph.workflows import workdays

if TYPE_CHECKING:
    from propgraph.resolvers.office.kinds import EvaluationRow, FilingRow


async def _timeline(info: Info, subject_type: str, pk: int) -> list[AuditEntry]:
    loader = info.context.loaders.get(TimelineBySubjectLoader, subject_type)
    return [AuditEntry.from_row(row) for row in await loader.load(pk)]


async def _project(info: Info, pk: int) -> Project:
    return Project.from_row(await info.context.loaders.get(NodeByIdLoader, PROJECT).load(pk))


@strawberry.type(description="半年考评: one project's score for one half-year.")
class Evaluation(Node):
    pk: strawberry.Private[int]
    project_id: strawberry.Private[int]
    project_name: str = strawberry.field(description="The project's name.")
    year: int = strawberry.field(description="The year evaluated.")
    half: Half = strawberry.field(description="The half evaluated.")
    status: EvaluationStatus = strawberry.field(description="SCORED or APPROVED.")
    community_score: float = strawberry.field(description="The community's score.")
    score: float = strawberry.field(description="The score after review (re-scored or not).")
    comment: str | None = strawberry.field(description="The community's remarks.")
    review_comment: str | None = strawberry.field(description="The street clerk's comment.")
    version: int = strawberry.field(description="Send it back with every change.")

    @classmethod
    def from_row(cls, row: EvaluationRow) -> Evaluation:
        return cls(
            id=to_global_id("Evaluation", row.id),
            pk=row.id,
            project_id=row.project_id,
            project_name=row.project_name,
            year=row.year,
            half=row.half,
            status=row.status,
            community_score=float(row.community_score),
            score=float(row.score),
            comment=row.comment,
            review_comment=row.review_comment,
            version=row.version,
        )

    @strawberry.field(description="The project evaluated.")
    async def project(self, info: Info) -> Project:
        return await _project(info, self.project_id)

    @strawberry.field(description="Every transition so far, oldest first.")
    async def timeline(self, info: Info) -> list[AuditEntry]:
        return await _timeline(info, "Evaluation", self.pk)


@strawberry.type(description="A project's evaluation scores of one year; null until final.")
class YearScore:
    year: int = strawberry.field(description="The year.")
    h1: float | None = strawberry.field(description="First half (100 if not approved in June).")
    h2: float | None = strawberry.field(description="Second half (100 if not approved in Dec).")
    annual: float | None = strawberry.field(description="The mean of the two halves.")


@strawberry.type(description="招标文件备案: a tender document filed for a project.")
class TenderFiling(Node):
    pk: strawberry.Private[int]
    project_id: strawberry.Private[int]
    filed_on: strawberry.Private[date]
    decided_on: strawberry.Private[date | None]
    fixed_working_days: strawberry.Private[int | None]
    project_name: str = strawberry.field(description="The project's name.")
    title: str = strawberry.field(description="The tender document's title.")
    status: TenderStatus = strawberry.field(description="Where the filing stands.")
    filed_at: datetime = strawberry.field(description="When it was (last) filed.")
    proposal: TenderProposal | None = strawberry.field(description="The clerk's proposal.")
    remark: str | None = strawberry.field(description="The clerk's remark.")
    decision_comment: str | None = strawberry.field(description="The head's comment.")
    version: int = strawberry.field(description="Send it back with every change.")

    @classmethod
    def from_row(cls, row: FilingRow) -> TenderFiling:
        return cls(
            id=to_global_id("TenderFiling", row.id),
            pk=row.id,
            project_id=row.project_id,
            filed_on=row.filed_on,
            decided_on=row.decided_on,
            fixed_working_days=row.working_days,
            project_name=row.project_name,
            title=row.title,
            status=row.status,
            filed_at=row.filed_at,
            proposal=row.proposal,
            remark=row.remark,
            decision_comment=row.decision_comment,
            version=row.version,
        )

    @strawberry.field(
        description="Working days from filing to the decision, or to today while undecided "
        "(official PRC calendar: holidays and make-up working days)."
    )
    def working_days(self, info: Info) -> int:
        return self.age(info.context.services.today())

    @strawberry.field(description="NORMAL (≤5), OVERDUE (6–9) or SEVERELY_OVERDUE (≥10).")
    def timeliness(self, info: Info) -> Timeliness:
        return workdays.timeliness(self.age(info.context.services.today()))

    def age(self, today: date) -> int:
        """Working days: fixed at the decision, counted to today until then."""
        if self.fixed_working_days is not None:
            return self.fixed_working_days
        return workdays.working_days(self.filed_on, today)

    @strawberry.field(description="The project filed for.")
    async def project(self, info: Info) -> Project:
        return await _project(info, self.project_id)

    @strawberry.field(description="Every transition so far, oldest first.")
    async def timeline(self, info: Info) -> list[AuditEntry]:
        return await _timeline(info, "TenderFiling", self.pk)
