"""Per-request loaders of office work: one statement per batch of keys."""

from __future__ import annotations

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import AuditEntry, Evaluation
from propgraph.resolvers.office.kinds import EVALUATION, EvaluationRow
from propgraph.resolvers.sql import group_rows, ids_in
from propgraph.resolvers.workflow.kinds import AuditRow


class TimelineBySubjectLoader(DataLoader[int, list[AuditRow]]):
    """Audit entries of one workflow's visible objects (the parent was already scoped)."""

    def __init__(self, db: RequestDB, viewer: Viewer, subject_type: str) -> None:
        async def load(ids: list[int]) -> list[list[AuditRow]]:
            rows = await db.all(
                select(AuditEntry)
                .where(
                    AuditEntry.subject_type == subject_type,
                    ids_in(AuditEntry.subject_id, ids, db.dialect),
                )
                .order_by(AuditEntry.subject_id, AuditEntry.id)
            )
            return group_rows(rows, "subject_id", ids)

        super().__init__(load_fn=load)


class EvaluationsByProjectYearLoader(DataLoader[tuple[int, int], list[EvaluationRow]]):
    """A year's evaluations of many projects, scoped; key (project id, year)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(keys: list[tuple[int, int]]) -> list[list[EvaluationRow]]:
            found: dict[tuple[int, int], list[EvaluationRow]] = {key: [] for key in keys}
            for year in {year for _, year in keys}:
                ids = [pk for pk, y in keys if y == year]
                rows = await db.all(
                    EVALUATION.scoped(viewer).where(
                        Evaluation.year == year, ids_in(Evaluation.project_id, ids, db.dialect)
                    )
                )
                for row in rows:
                    found[(row.project_id, year)].append(row)
            return [found[key] for key in keys]

        super().__init__(load_fn=load)
