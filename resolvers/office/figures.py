"""Office work per hierarchy node for the drill-down, counted in SQL within the scope.

- Evaluations of a year, per half: projects scored, approved, and defaulted
  to 100 (the window closed without an approval), the mean final score, and
  the mean annual score (projects whose two halves are both final). The
  projects counted are those whose evaluations the viewer sees
  (``Scope.evaluated_projects``): none for a role that sees no evaluations.
- Tender filings by status and by timeliness band: decided filings by their
  fixed working days, undecided ones by their age today
  (``lists.timeliness_predicate``).

One statement per level and batch of nodes; ``level`` None is the viewer's
whole scope, one row keyed ``CITY``. Scores are summed as stored (integer
tenths), so the means are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, case, func, literal, select, type_coerce
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import Evaluation, EvaluationStatus, Half, Project, TenderFiling
from propgraph.resolvers.office.lists import timeliness_predicate
from propgraph.resolvers.sql import ids_in
from propgraph.workflows import evaluation, workdays

CITY = 0  # the key of the viewer's whole scope
HUNDRED_TENTHS = 1000  # the default score, as stored (tenths)
TENTHS = Decimal("0.1")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class HalfCounts:
    scored: int = 0  # evaluations of the half (scored by the community, any status)
    approved: int = 0
    defaulted: int = 0  # projects whose half scores 100 unapproved
    final_sum: int = 0  # tenths, over the projects whose half score is final
    final_count: int = 0

    @property
    def mean(self) -> Decimal | None:
        if not self.final_count:
            return None
        return (Decimal(self.final_sum) * TENTHS / self.final_count).quantize(CENT)


@dataclass(frozen=True)
class EvaluationCounts:
    projects: int = 0
    h1: HalfCounts = HalfCounts()
    h2: HalfCounts = HalfCounts()
    annual_sum: int = 0  # tenths of h1 + h2, over the projects with both final
    annual_count: int = 0

    @property
    def mean_annual(self) -> Decimal | None:
        if not self.annual_count:
            return None
        return (Decimal(self.annual_sum) * TENTHS / (2 * self.annual_count)).quantize(CENT)


@dataclass(frozen=True)
class TenderCounts:
    by_status: dict[str, int]
    by_timeliness: dict[str, int]


def _key(model: Any, level: str | None) -> ColumnElement[Any]:
    return literal(CITY, Integer) if level is None else getattr(model, f"{level}_id")


def _where_node(
    key: ColumnElement[Any], level: str | None, ids: Sequence[int], dialect: str
) -> Any:
    return ids_in(key, ids, dialect) if level is not None else literal(True)


def _half(viewer: Viewer, year: int, half: Half) -> Any:
    return (
        select(
            Evaluation.project_id,
            Evaluation.status,
            type_coerce(Evaluation.score, BigInteger).label("tenths"),
        )
        .where(Evaluation.year == year, Evaluation.half == half, viewer.scope.evaluations())
        .subquery(f"half_{half.value.lower()}")
    )


def evaluation_statement(
    viewer: Viewer, level: str | None, ids: Sequence[int], year: int, today: date, dialect: str
) -> Any:
    key = _key(Project, level)
    halves = {half: _half(viewer, year, half) for half in Half}
    columns: list[Any] = [key.label("key"), func.count().label("projects")]
    finals = []
    for half, rows in halves.items():
        approved = rows.c.status == EvaluationStatus.APPROVED
        closed = today > evaluation.window(year, half)[1]
        final = case(
            (approved, rows.c.tenths),
            else_=literal(HUNDRED_TENTHS, BigInteger) if closed else None,
        )
        finals.append(final)
        name = half.value.lower()
        columns += [
            func.count(rows.c.project_id).label(f"{name}_scored"),
            func.count(case((approved, 1))).label(f"{name}_approved"),
            func.coalesce(func.sum(final), 0).label(f"{name}_sum"),
            func.count(final).label(f"{name}_count"),
        ]
    both = finals[0] + finals[1]  # NULL unless both halves are final
    columns += [
        func.coalesce(func.sum(both), 0).label("annual_sum"),
        func.count(both).label("annual_count"),
    ]
    query = select(*columns).select_from(Project)
    for rows in halves.values():
        query = query.outerjoin(rows, rows.c.project_id == Project.id)
    query = query.where(viewer.scope.evaluated_projects(), _where_node(key, level, ids, dialect))
    return query.group_by(key) if level is not None else query


def _half_counts(row: Any, half: Half, closed: bool) -> HalfCounts:
    name = half.value.lower()
    approved = int(getattr(row, f"{name}_approved"))
    return HalfCounts(
        scored=int(getattr(row, f"{name}_scored")),
        approved=approved,
        defaulted=int(row.projects) - approved if closed else 0,
        final_sum=int(getattr(row, f"{name}_sum")),
        final_count=int(getattr(row, f"{name}_count")),
    )


async def load_evaluation_counts(
    db: RequestDB, viewer: Viewer, level: str | None, ids: Sequence[int], year: int, today: date
) -> list[EvaluationCounts]:
    statement = evaluation_statement(viewer, level, ids, year, today, db.dialect)
    found: dict[int, EvaluationCounts] = {}
    for row in await db.all(statement):
        if not row.projects:  # the whole scope with nothing in it: one row of zeros
            continue
        closed = {half: today > evaluation.window(year, half)[1] for half in Half}
        found[row.key] = EvaluationCounts(
            projects=int(row.projects),
            h1=_half_counts(row, Half.H1, closed[Half.H1]),
            h2=_half_counts(row, Half.H2, closed[Half.H2]),
            annual_sum=int(row.annual_sum),
            annual_count=int(row.annual_count),
        )
    wanted = ids if level is not None else [CITY]
    return [found.get(pk, EvaluationCounts()) for pk in wanted]


def tender_statement(
    viewer: Viewer, level: str | None, ids: Sequence[int], today: date, dialect: str
) -> Any:
    key = _key(TenderFiling, level)
    band = case(
        *(
            (timeliness_predicate(b, today), literal(b.value))
            for b in (workdays.Timeliness.SEVERELY_OVERDUE, workdays.Timeliness.OVERDUE)
        ),
        else_=literal(workdays.Timeliness.NORMAL.value),  # a filing dated after today too
    )
    # Banded in a subquery: PostgreSQL would not match the CASE of the SELECT with that
    # of the GROUP BY, their parameters being numbered apart.
    filings = (
        select(key.label("key"), TenderFiling.status.label("status"), band.label("band"))
        .where(viewer.scope.tender_filings(), _where_node(key, level, ids, dialect))
        .subquery("filings")
    )
    return select(
        filings.c.key, filings.c.status, filings.c.band, func.count().label("filings")
    ).group_by(filings.c.key, filings.c.status, filings.c.band)


async def load_tender_counts(
    db: RequestDB, viewer: Viewer, level: str | None, ids: Sequence[int], today: date
) -> list[TenderCounts]:
    found: dict[int, TenderCounts] = {}
    for row in await db.all(tender_statement(viewer, level, ids, today, db.dialect)):
        counts = found.setdefault(row.key, TenderCounts({}, {}))
        status = str(row.status)
        counts.by_status[status] = counts.by_status.get(status, 0) + row.filings
        counts.by_timeliness[row.band] = counts.by_timeliness.get(row.band, 0) + row.filings
    wanted = ids if level is not None else [CITY]
    return [found.get(pk, TenderCounts({}, {})) for pk in wanted]


class EvaluationFiguresByNodeLoader(DataLoader[int, EvaluationCounts]):
    """A year's evaluation figures of many nodes of one level, in one statement."""

    def __init__(
        self, db: RequestDB, viewer: Viewer, level: str | None, year: int, today: date
    ) -> None:
        async def load(ids: list[int]) -> list[EvaluationCounts]:
            return await load_evaluation_counts(db, viewer, level, ids, year, today)

        super().__init__(load_fn=load)


class TenderFiguresByNodeLoader(DataLoader[int, TenderCounts]):
    """Tender filings of many nodes of one level by status and band, in one statement."""

    def __init__(self, db: RequestDB, viewer: Viewer, level: str | None, today: date) -> None:
        async def load(ids: list[int]) -> list[TenderCounts]:
            return await load_tender_counts(db, viewer, level, ids, today)

        super().__init__(load_fn=load)
