"""Repair projects per hierarchy node for the drill-down: by status, budget and paid.

One GROUP BY per level, narrowed by the viewer's scope of repair projects
(authz/scope.py ``repair_projects``): an office counts no drafts, the
project's enterprise and manager count theirs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from strawberry.dataloader import DataLoader

from propgraph.authz.scope import Scope
from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import RepairProject
from propgraph.resolvers.sql import ColumnLike, ids_in

LEVEL_KEYS: dict[str, ColumnLike] = {
    "project": RepairProject.project_id,
    "community": RepairProject.community_id,
    "street": RepairProject.street_id,
    "district": RepairProject.district_id,
}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatusFigures:
    status: str
    projects: int
    budget: Decimal
    paid: Decimal


def figures_statement(
    scope: Scope, level: str, ids: list[int], dialect: str
) -> Select[*tuple[Any, ...]]:
    key = LEVEL_KEYS[level]
    return (
        select(
            key.label("key"),
            RepairProject.status,
            func.count().label("projects"),
            func.sum(RepairProject.budget).label("budget"),
            func.sum(RepairProject.paid).label("paid"),
        )
        .where(ids_in(key, ids, dialect), scope.repair_projects())
        .group_by(key, RepairProject.status)
        .order_by(key, RepairProject.status)
    )


def _money(summed: Decimal | None) -> Decimal:
    return ZERO if summed is None else summed.quantize(ZERO)


class RepairFiguresByNodeLoader(DataLoader[int, list[StatusFigures]]):
    """Each node's visible repair projects by status, in one statement per batch."""

    def __init__(self, db: RequestDB, viewer: Viewer, level: str) -> None:
        async def load(ids: list[int]) -> list[list[StatusFigures]]:
            found: dict[int, list[StatusFigures]] = defaultdict(list)
            for row in await db.all(figures_statement(viewer.scope, level, ids, db.dialect)):
                found[row.key].append(
                    StatusFigures(
                        str(row.status), row.projects, _money(row.budget), _money(row.paid)
                    )
                )
            return [found.get(pk, []) for pk in ids]

        super().__init__(load_fn=load)
