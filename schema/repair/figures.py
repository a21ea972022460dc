"""``repairFigures`` of District, Street, Community and Project: the drill-down's money."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from propgraph.resolvers.repair.figures import RepairFiguresByNodeLoader, StatusFigures
from propgraph.schema.context import Info
from propgraph.schema.repair.enums import RepairStatus

ZERO = Decimal("0.00")


@strawberry.type(description="Repair projects of one status under a node.")
class RepairStatusFigures:
    status: RepairStatus = strawberry.field(description="The status.")
    projects: int = strawberry.field(description="Repair projects.")
    budget: Decimal = strawberry.field(description="Their budgets, yuan.")
    paid: Decimal = strawberry.field(description="Paid from the unit funds, net of refunds, yuan.")


@strawberry.type(description="维修资金使用 figures under a node, counting what you may see.")
class RepairFigures:
    projects: int = strawberry.field(description="Repair projects.")
    budget: Decimal = strawberry.field(description="Their budgets, yuan.")
    paid: Decimal = strawberry.field(description="Paid, net of refunds, yuan.")
    by_status: list[RepairStatusFigures] = strawberry.field(
        description="The same, per status (only statuses with projects)."
    )

    @classmethod
    def of(cls, rows: list[StatusFigures]) -> RepairFigures:
        return cls(
            projects=sum(r.projects for r in rows),
            budget=sum((r.budget for r in rows), ZERO),
            paid=sum((r.paid for r in rows), ZERO),
            by_status=[
                RepairStatusFigures(
                    status=RepairStatus(r.status),
                    projects=r.projects,
                    budget=r.budget,
                    paid=r.paid,
                )
                for r in rows
            ],
        )


async def repair_figures(info: Info, level: str, pk: int) -> RepairFigures:
    loader = info.context.loaders.get(RepairFiguresByNodeLoader, level)
    return RepairFigures.of(await loader.load(pk))
