"""The statements the office-work mutations run inside their transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import Evaluation, EvaluationStatus, Half, TenderFiling, TenderStatus
from propgraph.resolvers.office.kinds import EVALUATION, TENDER_FILING, EvaluationRow, FilingRow
from propgraph.resolvers.rows import reread, visible, visible_project
from propgraph.workflows.errors import conflict

__all__ = [
    "evaluation_of",
    "insert_evaluation",
    "insert_filing",
    "reread",
    "visible_evaluation",
    "visible_filing",
    "visible_project",
]


async def visible_evaluation(
    conn: AsyncConnection, viewer: Viewer, pk: int | None
) -> EvaluationRow:
    return await visible(conn, viewer, EVALUATION, pk, "evaluation")


async def visible_filing(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> FilingRow:
    return await visible(conn, viewer, TENDER_FILING, pk, "tender filing")


async def evaluation_of(
    conn: AsyncConnection, project_id: int, year: int, half: Half
) -> EvaluationRow | None:
    """The project's evaluation for the half-year, if it was scored."""
    return (
        await conn.execute(
            EVALUATION.columns().where(
                Evaluation.project_id == project_id,
                Evaluation.year == year,
                Evaluation.half == half,
            )
        )
    ).first()


async def insert_evaluation(
    conn: AsyncConnection,
    *,
    project: Any,
    year: int,
    half: Half,
    values: dict[str, Any],
    now: datetime,
) -> EvaluationRow:
    """The project's (its table row) first SCORED evaluation of the half-year, read
    back with ``EVALUATION.columns()``; CONFLICT if a concurrent first score won."""
    try:
        pk = (
            await conn.execute(
                insert(Evaluation)
                .values(
                    project_id=project.id,
                    community_id=project.community_id,
                    street_id=project.street_id,
                    district_id=project.district_id,
                    year=year,
                    half=half,
                    status=EvaluationStatus.SCORED,
                    version=1,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
                .returning(Evaluation.id)
            )
        ).scalar_one()
    except IntegrityError as exc:  # a concurrent first score won the unique constraint
        raise conflict() from exc
    return await reread(conn, EVALUATION, pk)


async def insert_filing(
    conn: AsyncConnection, *, project: Any, filed: dict[str, Any], now: datetime
) -> FilingRow:
    """A FILED tender filing of the project (its table row), read back with
    ``TENDER_FILING.columns()``."""
    pk = (
        await conn.execute(
            insert(TenderFiling)
            .values(
                project_id=project.id,
                enterprise_id=project.enterprise_id,
                community_id=project.community_id,
                street_id=project.street_id,
                district_id=project.district_id,
                status=TenderStatus.FILED,
                version=1,
                updated_at=now,
                **filed,
            )
            .returning(TenderFiling.id)
        )
    ).scalar_one()
    return await reread(conn, TENDER_FILING, pk)
