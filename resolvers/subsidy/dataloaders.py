"""Per-request loaders of the subsidy workflow: one statement per batch of keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, literal, null, select, union_all
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import AuditEntry, Evidence, SubsidyApplication
from propgraph.resolvers.sql import group_rows, ids_in
from propgraph.resolvers.subsidy.kinds import (
    EVIDENCE,
    SUBSIDY_APPLICATION,
    ApplicationRow,
    EvidenceRow,
)
from propgraph.resolvers.workflow.kinds import AuditRow

SUBJECT = "SubsidyApplication"


class TimelineByApplicationLoader(DataLoader[int, list[AuditRow]]):
    """Audit entries of visible applications (the parent was already scoped)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(ids: list[int]) -> list[list[AuditRow]]:
            rows = await db.all(
                select(AuditEntry)
                .where(
                    AuditEntry.subject_type == SUBJECT,
                    ids_in(AuditEntry.subject_id, ids, db.dialect),
                )
                .order_by(AuditEntry.subject_id, AuditEntry.id)
            )
            return group_rows(rows, "subject_id", ids)

        super().__init__(load_fn=load)


class EvidenceByApplicationLoader(DataLoader[int, list[EvidenceRow]]):
    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(ids: list[int]) -> list[list[EvidenceRow]]:
            rows = await db.all(
                EVIDENCE.scoped(viewer)
                .where(ids_in(Evidence.application_id, ids, db.dialect))
                .order_by(Evidence.application_id, Evidence.id)
            )
            return group_rows(rows, "application_id", ids)

        super().__init__(load_fn=load)


class ApplicationsByBatchLoader(DataLoader[int, list[ApplicationRow]]):
    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(ids: list[int]) -> list[list[ApplicationRow]]:
            rows = await db.all(
                SUBSIDY_APPLICATION.scoped(viewer)
                .where(ids_in(SubsidyApplication.batch_id, ids, db.dialect))
                .order_by(SubsidyApplication.batch_id, SubsidyApplication.id)
            )
            return group_rows(rows, "batch_id", ids)

        super().__init__(load_fn=load)


def figures_statement(
    viewer: Viewer, level: str, node_ids: Sequence[int], round_id: int | None, dialect: str
) -> Any:
    """Per node: one row per status, plus a total row (status NULL) whose
    distinct enterprise and project counts are not sums of the others."""
    app = SubsidyApplication
    node: ColumnElement[Any] = literal(0) if level == "city" else getattr(app, f"{level}_id")
    where = [viewer.scope.subsidy_applications()]
    if level != "city":
        where.append(ids_in(node, node_ids, dialect))
    if round_id is not None:
        where.append(app.round_id == round_id)

    def figures(status: Any) -> Any:
        return select(
            node.label("node"),
            status.label("status"),
            func.count().label("applications"),
            func.count(func.distinct(app.enterprise_id)).label("enterprises"),
            func.count(func.distinct(app.project_id)).label("projects"),
            func.sum(app.area).label("area"),
            func.sum(app.amount).label("amount"),
        ).where(*where)

    by_status = figures(app.status).group_by(*([] if level == "city" else [node]), app.status)
    total = figures(null()).group_by(*([] if level == "city" else [node]))
    return union_all(by_status, total)


class SubsidyFiguresLoader(DataLoader[tuple[int, int | None], list[Any]]):
    """Dashboard figures (seed 004) for many nodes of one level; key (node id, round id).

    One statement per distinct round asked. Level "city" is everything the
    viewer may see, under node id 0.
    """

    def __init__(self, db: RequestDB, viewer: Viewer, level: str) -> None:
        async def load(keys: list[tuple[int, int | None]]) -> list[list[Any]]:
            by_round: dict[int | None, list[int]] = defaultdict(list)
            for node_id, round_id in keys:
                by_round[round_id].append(node_id)
            found: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
            for round_id, node_ids in by_round.items():
                for row in await db.all(
                    figures_statement(viewer, level, node_ids, round_id, db.dialect)
                ):
                    found[(row.node, round_id)].append(row)
            return [found[k] for k in keys]

        super().__init__(load_fn=load)
