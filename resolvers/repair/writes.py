"""The statements the repair-project mutations run inside their transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import (
    FundAccount,
    RepairKind,
    RepairProject,
    RepairShare,
    RepairStage,
    RepairStatus,
    Unit,
)
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT, REPAIR_SHARE
from propgraph.workflows.errors import not_found
from propgraph.workflows.repair import StagePlan


async def sharing_units(
    conn: AsyncConnection, viewer: Viewer, project_id: int, unit_ids: Collection[int]
) -> list[Row[*tuple[Any, ...]]]:
    """Those of the units the viewer may see in the project, by id, each with its
    ``floor_area`` and its fund account's ``balance``."""
    rows = await conn.execute(
        select(Unit.id, Unit.floor_area, FundAccount.balance)
        .join(FundAccount, FundAccount.unit_id == Unit.id)
        .where(Unit.id.in_(unit_ids), Unit.project_id == project_id, viewer.scope.units())
        .order_by(Unit.id)
    )
    return list(rows.all())


async def insert_draft(
    conn: AsyncConnection,
    *,
    project: Any,
    kind: RepairKind,
    title: str,
    facilities: Any,
    budget: Decimal,
    units: Sequence[Any],
    shares: Mapping[int, Decimal],
    stages: Sequence[StagePlan],
    created_by_id: int,
    now: datetime,
) -> int:
    """A DRAFT repair project of ``project`` (its table row), each unit's share
    (``units`` with their floor area) and its stages numbered from 1."""
    pk: int = (
        await conn.execute(
            insert(RepairProject)
            .values(
                project_id=project.id,
                enterprise_id=project.enterprise_id,
                community_id=project.community_id,
                street_id=project.street_id,
                district_id=project.district_id,
                kind=kind,
                title=title,
                status=RepairStatus.DRAFT,
                facilities=facilities,
                budget=budget,
                paid=Decimal(0),
                version=1,
                created_by_id=created_by_id,
                created_at=now,
                updated_at=now,
            )
            .returning(RepairProject.id)
        )
    ).scalar_one()
    await conn.execute(
        insert(RepairShare),
        [
            {
                "repair_project_id": pk,
                "unit_id": u.id,
                "area": u.floor_area,
                "amount": shares[u.id],
                "paid": Decimal(0),
            }
            for u in units
        ],
    )
    await conn.execute(
        insert(RepairStage),
        [
            {
                "repair_project_id": pk,
                "index": index,
                "name": stage.name,
                "amount": stage.amount,
                "paid": Decimal(0),
            }
            for index, stage in enumerate(stages, start=1)
        ],
    )
    return pk


async def shares_of_units(
    conn: AsyncConnection, repair_project_id: int, unit_ids: Collection[int]
) -> list[Row[*tuple[Any, ...]]]:
    """The repair project's shares of those units, read with ``REPAIR_SHARE.columns()``."""
    if not unit_ids:
        return []
    rows = await conn.execute(
        REPAIR_SHARE.columns()
        .where(
            RepairShare.repair_project_id == repair_project_id, RepairShare.unit_id.in_(unit_ids)
        )
        .order_by(RepairShare.unit_id)
    )
    return list(rows.all())


async def short_shares(
    conn: AsyncConnection, repair_project_id: int
) -> list[Row[*tuple[Any, ...]]]:
    """The project's shares whose unit's fund balance is below what it has left to pay."""
    rows = await conn.execute(
        REPAIR_SHARE.columns()
        .where(
            RepairShare.repair_project_id == repair_project_id,
            FundAccount.balance < RepairShare.amount - RepairShare.paid,
        )
        .order_by(RepairShare.unit_id)
    )
    return list(rows.all())


async def visible_repair(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> Any:
    """The repair project if the viewer may see it; NOT_FOUND otherwise, either way."""
    row = None
    if pk is not None:
        query = REPAIR_PROJECT.scoped(viewer).where(REPAIR_PROJECT.id == pk)
        row = (await conn.execute(query)).first()
    if row is None:
        raise not_found("repair project")
    return row
