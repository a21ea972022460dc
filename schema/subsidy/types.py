"""Types of the subsidy workflow."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import strawberry

from propgraph.authz.masking import mask_bank_account
from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.subsidy.dataloaders import (
    ApplicationsByBatchLoader,
    EvidenceByApplicationLoader,
    TimelineByApplicationLoader,
)
from propgraph.resolvers.subsidy.kinds import SUBSIDY_ROUND
from propgraph.schema.context import Info
from propgraph.schema.graph.enums import ProjectKind, Role
from propgraph.schema.graph.types import Project
from propgraph.schema.relay import Node, to_global_id
from propgraph.schema.subsidy.enums import EvidenceKind, SubsidyStatus

if TYPE_CHECKING:
    from propgraph.resolvers.subsidy.kinds import ApplicationRow, BatchRow, EvidenceRow, RoundRow
    from propgraph.resolvers.workflow.kinds import AuditRow


@strawberry.type(
    description="A subsidy round opened by the city (e.g. 2020: 0.5 yuan/m²/month, 2 months)."
)
class SubsidyRound(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="Name of the round.")
    rate_per_sqm_month: float = strawberry.field(description="Yuan per m² per month.")
    months: int = strawberry.field(description="Months the subsidy covers.")
    opens_on: date = strawberry.field(description="First day applications are accepted.")
    closes_on: date = strawberry.field(description="Last day applications are accepted.")

    @classmethod
    def from_row(cls, row: RoundRow) -> SubsidyRound:
        return cls(
            id=to_global_id("SubsidyRound", row.id),
            pk=row.id,
            name=row.name,
            rate_per_sqm_month=float(row.rate_per_sqm_month),
            months=row.months,
            opens_on=row.opens_on,
            closes_on=row.closes_on,
        )

    @strawberry.field(description="Whether applications are accepted today.")
    def is_open(self, info: Info) -> bool:
        return self.opens_on <= info.context.services.today() <= self.closes_on


@strawberry.type(description="One transition in an application's history.")
class AuditEntry:
    at: datetime = strawberry.field(description="When.")
    actor: str = strawberry.field(description="The account that acted.")
    role: Role = strawberry.field(description="Its role.")
    action: str = strawberry.field(description="What it did, e.g. subsidy.review.")
    # One type for every workflow's timeline (CONTRACT): ``from``/``to`` carry any
    # workflow's statuses as strings; the subsidy's typed fields stay as they were,
    # except that ``toStatus`` is null on the entries of other workflows, whose
    # statuses are not subsidy statuses.
    from_status: SubsidyStatus | None = strawberry.field(
        description="Before, for a subsidy application; null at creation."
    )
    to_status: SubsidyStatus | None = strawberry.field(
        description="After, for a subsidy application; null for other workflows (see `to`)."
    )
    from_: str | None = strawberry.field(
        name="from", description="The status before, any workflow; null at creation."
    )
    to: str = strawberry.field(description="The status after, any workflow.")
    comment: str | None = strawberry.field(description="The reviewer's comment or reason.")

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEntry:
        return cls(
            at=row.at,
            actor=row.actor_username,
            role=row.actor_role,
            action=row.action,
            from_status=_subsidy_status(row.from_status),
            to_status=_subsidy_status(row.to_status),
            from_=row.from_status,
            to=row.to_status,
            comment=row.comment,
        )


def _subsidy_status(value: str | None) -> SubsidyStatus | None:
    if value is None or value not in SubsidyStatus.__members__:
        return None
    return SubsidyStatus(value)


@strawberry.type(
    description="An uploaded document: evidence for a subsidy application (uploaded by its "
    "project manager) or a meeting's documents (by the office that opened it)."
)
class Evidence(Node):
    pk: strawberry.Private[int]
    kind: EvidenceKind = strawberry.field(description="What the document is.")
    filename: str = strawberry.field(description="The name it was uploaded with.")
    size: int = strawberry.field(description="Bytes.")
    content_type: str = strawberry.field(description="MIME type, checked against the content.")
    uploaded_at: datetime = strawberry.field(description="When it was uploaded.")

    @strawberry.field(
        description="Where to download the file: GET it with the same bearer token; "
        "whoever may see this evidence may download it."
    )
    def url(self) -> str:
        return f"/evidence/{self.id}"

    @classmethod
    def from_row(cls, row: EvidenceRow) -> Evidence:
        return cls(
            id=to_global_id("Evidence", row.id),
            pk=row.id,
            kind=row.kind,
            filename=row.filename,
            size=row.size,
            content_type=row.content_type,
            uploaded_at=row.created_at,
        )


@strawberry.type(description="疫情防控补贴申请: one project's application in one round.")
class SubsidyApplication(Node):
    pk: strawberry.Private[int]
    round_id: strawberry.Private[int]
    project_id: strawberry.Private[int]
    raw_bank_account: strawberry.Private[str]
    status: SubsidyStatus = strawberry.field(description="Where the application stands.")
    project_name: str = strawberry.field(description="The project's name.")
    manager_name: str = strawberry.field(description="项目经理 who submits it.")
    manager_phone: str = strawberry.field(
        description="The manager's mobile; results go there by SMS."
    )
    property_type: ProjectKind = strawberry.field(description="物业类型.")
    area: float = strawberry.field(description="The area applied for, m².")
    recorded_area: float = strawberry.field(description="The project's recorded total area, m².")
    area_changed: bool = strawberry.field(description="Whether the area differs from the record.")
    area_confirmed: bool = strawberry.field(
        description="Whether the street confirmed a changed area."
    )
    pledge_accepted: bool = strawberry.field(description="Whether the manager accepted the 承诺函.")
    amount: float | None = strawberry.field(
        description="Yuan; fixed when the district reports the batch."
    )
    amount_exact: Decimal | None = strawberry.field(
        description="The amount as an exact decimal string."
    )
    version: int = strawberry.field(
        description="Send it back with every change (optimistic locking)."
    )
    created_at: datetime = strawberry.field(description="When the enterprise created it.")
    updated_at: datetime = strawberry.field(description="Last change.")

    @classmethod
    def from_row(cls, row: ApplicationRow) -> SubsidyApplication:
        return cls(
            id=to_global_id("SubsidyApplication", row.id),
            pk=row.id,
            round_id=row.round_id,
            project_id=row.project_id,
            raw_bank_account=row.bank_account,
            status=row.status,
            project_name=row.project_name,
            manager_name=row.manager_name,
            manager_phone=row.manager_phone,
            property_type=row.property_type,
            area=float(row.area),
            recorded_area=float(row.recorded_area),
            area_changed=row.area != row.recorded_area,
            area_confirmed=row.area_confirmed,
            pledge_accepted=row.pledge_accepted_at is not None,
            amount=float(row.amount) if row.amount is not None else None,
            amount_exact=row.amount,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="The enterprise's receiving account; masked for others.")
    def bank_account(self, info: Info) -> str:
        if info.context.viewer.masks("SubsidyApplication", "bankAccount"):
            return mask_bank_account(self.raw_bank_account) or ""
        return self.raw_bank_account

    @strawberry.field(description="The round applied in.")
    async def round(self, info: Info) -> SubsidyRound:
        row = await info.context.loaders.get(NodeByIdLoader, SUBSIDY_ROUND).load(self.round_id)
        return SubsidyRound.from_row(row)

    @strawberry.field(description="The project applied for.")
    async def project(self, info: Info) -> Project:
        return Project.from_row(
            await info.context.loaders.get(NodeByIdLoader, PROJECT).load(self.project_id)
        )

    @strawberry.field(description="Every transition so far, oldest first (进度).")
    async def timeline(self, info: Info) -> list[AuditEntry]:
        loader = info.context.loaders.get(TimelineByApplicationLoader)
        return [AuditEntry.from_row(row) for row in await loader.load(self.pk)]

    @strawberry.field(description="Supporting documents.")
    async def evidence(self, info: Info) -> list[Evidence]:
        loader = info.context.loaders.get(EvidenceByApplicationLoader)
        return [Evidence.from_row(row) for row in await loader.load(self.pk)]


@strawberry.type(description="集中报送: a district's report of approved applications.")
class SubsidyBatch(Node):
    pk: strawberry.Private[int]
    round_id: strawberry.Private[int]
    total_amount: float = strawberry.field(
        description="Yuan, the sum of the applications' amounts."
    )
    total_amount_exact: Decimal = strawberry.field(
        description="The total as an exact decimal string."
    )
    reported_at: datetime = strawberry.field(description="When it was reported.")
    paid_on: date | None = strawberry.field(description="When it was paid; null until then.")

    @classmethod
    def from_row(cls, row: BatchRow) -> SubsidyBatch:
        return cls(
            id=to_global_id("SubsidyBatch", row.id),
            pk=row.id,
            round_id=row.round_id,
            total_amount=float(row.total_amount),
            total_amount_exact=row.total_amount,
            reported_at=row.reported_at,
            paid_on=row.paid_on,
        )

    @strawberry.field(description="The round.")
    async def round(self, info: Info) -> SubsidyRound:
        return SubsidyRound.from_row(
            await info.context.loaders.get(NodeByIdLoader, SUBSIDY_ROUND).load(self.round_id)
        )

    @strawberry.field(description="The applications reported in it.")
    async def applications(self, info: Info) -> list[SubsidyApplication]:
        loader = info.context.loaders.get(ApplicationsByBatchLoader)
        return [SubsidyApplication.from_row(row) for row in await loader.load(self.pk)]


@strawberry.type(description="Applications at one status (or all, when status is null).")
class SubsidyStatusFigures:
    status: SubsidyStatus | None = strawberry.field(
        description="Null for the total over all statuses."
    )
    applications: int = strawberry.field(description="Applications.")
    enterprises: int = strawberry.field(description="Distinct enterprises.")
    projects: int = strawberry.field(description="Distinct projects.")
    area: float = strawberry.field(description="m² applied for.")
    amount: float = strawberry.field(description="Yuan fixed so far (reported or paid).")

    @classmethod
    def from_row(cls, row: Any) -> SubsidyStatusFigures:
        return cls(
            status=row.status,
            applications=row.applications,
            enterprises=row.enterprises,
            projects=row.projects,
            area=float(row.area or 0),
            amount=float(row.amount or 0),
        )

    @classmethod
    def nothing(cls) -> SubsidyStatusFigures:
        return cls(status=None, applications=0, enterprises=0, projects=0, area=0.0, amount=0.0)


@strawberry.type(
    description="Dashboard figures of the subsidy (seed 004), counting visible applications."
)
class SubsidyFigures:
    total: SubsidyStatusFigures = strawberry.field(description="All statuses together.")
    by_status: list[SubsidyStatusFigures] = strawberry.field(
        description="One entry per status present."
    )

    @classmethod
    def from_rows(cls, rows: list[Any]) -> SubsidyFigures:
        order = list(SubsidyStatus)
        total = next((r for r in rows if r.status is None), None)
        by_status = sorted(
            (r for r in rows if r.status is not None), key=lambda r: order.index(r.status)
        )
        return cls(
            total=SubsidyStatusFigures.from_row(total) if total else SubsidyStatusFigures.nothing(),
            by_status=[SubsidyStatusFigures.from_row(r) for r in by_status],
        )
