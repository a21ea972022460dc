"""Per-request loaders of repair projects: stages and audit trail by project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import AuditEntry, RepairStage
from propgraph.resolvers.sql import group_rows, ids_in

SUBJECT = "RepairProject"


class StagesByRepairProjectLoader(DataLoader[int, list[Any]]):
    """The disbursement plan of each visible repair project, in stage order."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(ids: list[int]) -> list[list[Any]]:
            rows = await db.all(
                select(RepairStage)
                .where(ids_in(RepairStage.repair_project_id, ids, db.dialect))
                .where(viewer.scope.repair_stages())
                .order_by(RepairStage.repair_project_id, RepairStage.index)
            )
            return group_rows(rows, "repair_project_id", ids)

        super().__init__(load_fn=load)


class TimelineByRepairProjectLoader(DataLoader[int, list[Any]]):
    """Audit entries of visible repair projects (the parent was already scoped)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(ids: list[int]) -> list[list[Any]]:
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
