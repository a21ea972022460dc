"""Ratings of the property service: averages per project and the city ranking.

Ratings are public figures (SPEC 3.2): a project's averages and its city
rank are the same for every viewer, counted over the current year's ratings.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import RATING_ITEMS, Project, Rating
from propgraph.resolvers.graph.kinds import PROJECT


@dataclass(frozen=True)
class ProjectRatingRow:
    project_id: int
    count: int
    items: dict[str, Fraction]  # item → average stars, exact

    @property
    def average(self) -> Fraction:
        return sum(self.items.values(), Fraction(0)) / len(self.items)


def _columns() -> list[Any]:
    return [func.sum(getattr(Rating, item.lower())).label(item) for item in RATING_ITEMS]


async def city_ratings(db: RequestDB, year: int) -> dict[int, ProjectRatingRow]:
    """Every rated project's averages in ``year``: one GROUP BY over the ratings."""
    rows = await db.all(
        select(Rating.project_id, func.count().label("n"), *_columns())
        .where(Rating.year == year)
        .group_by(Rating.project_id)
    )
    return {
        row.project_id: ProjectRatingRow(
            row.project_id,
            row.n,
            {item: Fraction(int(getattr(row, item)), row.n) for item in RATING_ITEMS},
        )
        for row in rows
    }


def ranks(ratings: dict[int, ProjectRatingRow]) -> dict[int, int]:
    """Competition ranking by average, best first: equal averages share a rank."""
    ordered = sorted(ratings.values(), key=lambda r: (-r.average, r.project_id))
    result: dict[int, int] = {}
    for index, row in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        if previous is not None and previous.average == row.average:
            result[row.project_id] = result[previous.project_id]
        else:
            result[row.project_id] = index + 1
    return result


class CityRatings:
    """The year's ratings, read once per request on first use."""

    def __init__(self, db: RequestDB, viewer: Viewer, year: int) -> None:
        self.db = db
        self.year = year
        self._rows: dict[int, ProjectRatingRow] | None = None
        self._ranks: dict[int, int] = {}

    async def rows(self) -> dict[int, ProjectRatingRow]:
        if self._rows is None:
            self._rows = await city_ratings(self.db, self.year)
            self._ranks = ranks(self._rows)
        return self._rows

    async def of(self, project_id: int) -> tuple[ProjectRatingRow | None, int | None]:
        rows = await self.rows()
        return rows.get(project_id), self._ranks.get(project_id)

    async def ranked_ids(self) -> list[int]:
        await self.rows()
        return sorted(self._ranks, key=lambda pid: (self._ranks[pid], pid))


async def visible_projects(db: RequestDB, viewer: Viewer, ids: Collection[int]) -> set[int]:
    """Those of the projects ``ids`` the viewer may see."""
    if not ids:
        return set()
    rows = await db.all(select(Project.id).where(PROJECT.visible(viewer), Project.id.in_(ids)))
    return {row.id for row in rows}
