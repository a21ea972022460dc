"""Drill-down statistics, one GROUP BY statement per hierarchy level.

Each figure counts only rows the viewer's scope allows: the scope predicate
of every table is part of its grouped SELECT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Select,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)

from propgraph.authz.scope import Scope
from propgraph.db import RequestDB
from propgraph.models import Building, NodeStats, Project, Unit, UnitOwner
from propgraph.resolvers.sql import ColumnLike, ids_in

LEVELS = ("district", "street", "community", "project")


@dataclass(frozen=True)
class StatsRow:
    projects: int = 0
    buildings: int = 0
    units: int = 0
    floor_area: Decimal = Decimal(0)
    owners: int = 0


def _key(model: type, level: str) -> ColumnLike:
    if model is Project and level == "project":
        return Project.id
    column: ColumnLike = getattr(model, f"{level}_id")
    return column


# Each figure: the table it counts, its aggregate, and the scope predicate that narrows it.
FIGURES: dict[str, tuple[type, Any, str]] = {
    "projects": (Project, func.count, "projects"),
    "buildings": (Building, func.count, "buildings"),
    "units": (Unit, func.count, "units"),
    "floor_area": (Unit, lambda: func.coalesce(func.sum(Unit.floor_area), 0), "units"),
    "owners": (UnitOwner, lambda: func.count(func.distinct(UnitOwner.owner_id)), "unit_owners"),
}


def stats_statement(
    scope: Scope, level: str, ids: Sequence[int] | None, dialect: str
) -> Select[*tuple[Any, ...]]:
    """Figures of the nodes ``ids`` of ``level`` (of every node when None), in one statement."""

    def grouped(metric: str, area: Any) -> Select[*tuple[Any, ...]]:
        model, aggregate, table = FIGURES[metric]
        key = _key(model, level)
        query = select(
            key.label("key"), literal(metric).label("metric"), aggregate().label("n"), area
        )
        if ids is not None:
            query = query.where(ids_in(key, ids, dialect))
        return query.where(scope.for_table(table)).group_by(key)

    # Units first: a UNION takes its column types from the first SELECT, and
    # the area sum must come back as an exact decimal.
    return union_all(
        grouped("units", func.sum(Unit.floor_area).label("area")),
        *(grouped(metric, null().label("area")) for metric in ("projects", "buildings", "owners")),
    )  # type: ignore[return-value]


def live_figures(scope: Scope, level: str, node: str) -> Select[*tuple[Any, ...]]:
    """One row of every figure of the node whose id is the SQL ``node``, counted live."""
    columns = []
    for name, (model, aggregate, table) in FIGURES.items():
        counted = select(aggregate()).where(
            _key(model, level) == literal_column(node), scope.for_table(table)
        )
        columns.append(counted.scalar_subquery().label(name))
    return select(*columns)


def collect(rows: Sequence[Any], ids: Sequence[int]) -> dict[int, StatsRow]:
    figures: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    for row in rows:
        figures.setdefault(row.key, {})[row.metric] = row.n
        if row.metric == "units":
            figures[row.key]["floor_area"] = row.area
    return {pk: StatsRow(**values) for pk, values in figures.items()}


async def load_stats(db: RequestDB, scope: Scope, level: str, ids: Sequence[int]) -> list[StatsRow]:
    """Live figures: every table's scope predicate is in its GROUP BY statement."""
    figures = collect(await db.all(stats_statement(scope, level, ids, db.dialect)), ids)
    return [figures[pk] for pk in ids]


async def load_rolled_up_stats(
    db: RequestDB, scope: Scope, level: str, ids: Sequence[int]
) -> list[StatsRow]:
    """Figures from ``node_stats`` for viewers who see each node's whole subtree.

    Such a viewer's live count equals the node's whole count, which the
    rollup holds; nodes missing from it (never refreshed) are counted live.
    """
    rows = await db.all(
        select(NodeStats).where(
            NodeStats.level == level, ids_in(NodeStats.node_id, ids, db.dialect)
        )
    )
    found = {
        row.node_id: StatsRow(row.projects, row.buildings, row.units, row.floor_area, row.owners)
        for row in rows
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        found.update(zip(missing, await load_stats(db, scope, level, missing), strict=True))
    return [found[pk] for pk in ids]
