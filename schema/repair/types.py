"""Repair projects paid from the maintenance funds (SPEC 3.4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry

from propgraph.resolvers.graph.dataloaders import ChildPageByParentLoader, ChildPageKey
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.owners.kinds import MEETING
from propgraph.resolvers.repair.dataloaders import (
    StagesByRepairProjectLoader,
    TimelineByRepairProjectLoader,
)
from propgraph.resolvers.repair.kinds import SHARES_BY_REPAIR_PROJECT
from propgraph.schema.context import Info
from propgraph.schema.graph.types import Project, Unit
from propgraph.schema.owners.types import Meeting
from propgraph.schema.relay import Connection, Node, page_args, to_global_id
from propgraph.schema.repair.enums import RepairKind, RepairStatus
from propgraph.schema.subsidy.types import AuditEntry

ZERO = Decimal("0.00")


@strawberry.type(description="One unit's part of a repair's cost, by floor area.")
class RepairShare:
    unit_pk: strawberry.Private[int]
    unit_row: strawberry.Private[Any]
    area: float = strawberry.field(description="The unit's floor area when shares were set, m².")
    amount: Decimal = strawberry.field(description="The unit's share of the budget, yuan.")
    paid: Decimal = strawberry.field(description="Paid from the unit's fund so far, yuan.")
    balance: Decimal = strawberry.field(description="The unit's fund balance now, yuan.")

    @classmethod
    def from_row(cls, row: Any) -> RepairShare:
        return cls(
            unit_pk=row.unit_id,
            unit_row=row,
            area=float(row.area),
            amount=row.amount,
            paid=row.paid,
            balance=row.balance,
        )

    @strawberry.field(description="The unit.")
    def unit(self) -> Unit:
        row = self.unit_row
        return Unit(
            id=to_global_id("Unit", self.unit_pk),
            pk=self.unit_pk,
            building_id=row.building_id,
            number=row.number,
            floor_area=float(row.floor_area),
        )

    @strawberry.field(
        description="What the unit's balance lacks to pay the rest of its share (0 if none)."
    )
    def shortfall(self) -> Decimal:
        return max(self.amount - self.paid - self.balance, ZERO)


@strawberry.type(description="One stage of the disbursement plan (拨付计划).")
class RepairStage:
    index: int = strawberry.field(description="Position in the plan, from 1.")
    name: str = strawberry.field(description="e.g. 预付款, 进度款, 结算款.")
    amount: Decimal = strawberry.field(description="Planned for this stage, yuan.")
    paid: Decimal = strawberry.field(description="Paid in this stage so far, yuan.")

    @classmethod
    def from_row(cls, row: Any) -> RepairStage:
        return cls(index=row.index, name=row.name, amount=row.amount, paid=row.paid)


@strawberry.type(description="维修资金使用: a repair of shared parts paid from the units' funds.")
class RepairProject(Node):
    pk: strawberry.Private[int]
    project_id: strawberry.Private[int]
    kind: RepairKind = strawberry.field(description="Normal, emergency or simple.")
    title: str = strawberry.field(description="What is repaired, e.g. 3栋电梯更换.")
    status: RepairStatus = strawberry.field(description="Where it stands.")
    facilities: list[str] = strawberry.field(description="The shared parts repaired.")
    budget: Decimal = strawberry.field(description="The budget, yuan; the shares add up to it.")
    paid: Decimal = strawberry.field(description="Paid so far, yuan.")
    version: int = strawberry.field(description="Give it back with the next change.")
    settled_amount: Decimal | None = strawberry.field(
        description="结算金额 set at acceptance, yuan: the payments stop there; null before."
    )
    accepted_at: datetime | None = strawberry.field(
        description="When it was accepted (验收, with its publicity); null before."
    )
    created_at: datetime = strawberry.field(description="When it was drafted.")
    meeting_pk: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> RepairProject:
        return cls(
            id=to_global_id("RepairProject", row.id),
            pk=row.id,
            project_id=row.project_id,
            kind=row.kind,
            title=row.title,
            status=row.status,
            facilities=list(row.facilities),
            budget=row.budget,
            paid=row.paid,
            version=row.version,
            settled_amount=row.settled_amount,
            accepted_at=row.accepted_at,
            created_at=row.created_at,
            meeting_pk=row.meeting_id,
        )

    @strawberry.field(description="The property project whose shared parts are repaired.")
    async def project(self, info: Info) -> Project:
        from propgraph.resolvers.graph.dataloaders import NodeByIdLoader

        row = await info.context.loaders.get(NodeByIdLoader, PROJECT).load(self.project_id)
        return Project.from_row(row)

    @strawberry.field(
        description="The owners' meeting voting on it (NORMAL and SIMPLE), once started."
    )
    async def meeting(self, info: Info) -> Meeting | None:
        from propgraph.resolvers.graph.dataloaders import NodeByIdLoader

        if self.meeting_pk is None:
            return None
        row = await info.context.loaders.get(NodeByIdLoader, MEETING).load(self.meeting_pk)
        return None if row is None else Meeting.from_row(row)

    @strawberry.field(description="The units sharing the cost that you may see, by unit.")
    async def shares(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[RepairShare]:
        key = ChildPageKey(self.pk, page_args(first, after), None)
        loader = info.context.loaders.get(ChildPageByParentLoader, SHARES_BY_REPAIR_PROJECT)
        return Connection.from_page(await loader.load(key), RepairShare.from_row)

    @strawberry.field(description="The disbursement plan in order; it adds up to the budget.")
    async def stages(self, info: Info) -> list[RepairStage]:
        rows = await info.context.loaders.get(StagesByRepairProjectLoader).load(self.pk)
        return [RepairStage.from_row(row) for row in rows]

    @strawberry.field(description="Every transition, oldest first.")
    async def timeline(self, info: Info) -> list[AuditEntry]:
        rows = await info.context.loaders.get(TimelineByRepairProjectLoader).load(self.pk)
        return [AuditEntry.from_row(row) for row in rows]
