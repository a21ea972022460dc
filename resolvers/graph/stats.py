"""Drill-down statistics, one GROUP BY statement per hierarchy level.

Each figure counts only rows the viewer's scope allows: the scope predicate
of every table is part of its grouped SELECT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, null, select, union_all

from propgraph.authz.scope import Scope
from propgraph.db import RequestDB
from propgraph.models import Building, Project, Unit, UnitOwner
from propgraph.resolvers.sql import ids_in

LEVELS = ("district", "street", "community", "project")


@dataclass(frozen=True)
class StatsRow:
    projects: int = 0
    buildings: int = 0
    units: int = 0
    floor_area: Decimal = Decimal(0)
    owners: int = 0


def _key(model: type, level: str) -> ColumnElement[Any]:
    if model is Project and level == "project":
        return Project.id
    return getattr(model, f"{level}_id")


def stats_statement(scope: Scope, level: str, ids: Sequence[int], dialect: str) -> Select[Any]:
    def grouped(model: type, metric: str, count: Any, area: Any, scope_pred: Any) -> Select[Any]:
        key = _key(model, level)
        return (
            select(key.label("key"), literal(metric).label("metric"), count.label("n"), area)
            .where(ids_in(key, ids, dialect), scope_pred)
            .group_by(key)
        )

    no_area = null().label("area")
    # Units first: a UNION takes its column types from the first SELECT, and
    # the area sum must come back as an exact decimal.
    return union_all(
        grouped(
            Unit, "units", func.count(), func.sum(Unit.floor_area).label("area"), scope.units()
        ),
        grouped(Project, "projects", func.count(), no_area, scope.projects()),
        grouped(Building, "buildings", func.count(), no_area, scope.buildings()),
        grouped(
            UnitOwner,
            "owners",
            func.count(func.distinct(UnitOwner.owner_id)),
            no_area,
            scope.unit_owners(),
        ),
    )  # type: ignore[return-value]


async def load_stats(db: RequestDB, scope: Scope, level: str, ids: Sequence[int]) -> list[StatsRow]:
    figures: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    for row in await db.all(stats_statement(scope, level, ids, db.dialect)):
        figures[row.key][row.metric] = row.n
        if row.metric == "units":
            figures[row.key]["floor_area"] = row.area
    return [StatsRow(**figures[pk]) for pk in ids]
