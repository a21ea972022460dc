"""createRepairProject (ENTERPRISE or MANAGER of the project): a draft with its shares."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, insert, select

from propgraph.models import FundAccount, Project, RepairProject, RepairShare, RepairStage, Unit
from propgraph.models.repair import RepairStatus
from propgraph.resolvers.repair.dataloaders import SUBJECT
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT, REPAIR_SHARE
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import CreateRepairProjectInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject as RepairProjectType
from propgraph.schema.repair.types import RepairShare as RepairShareType
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import invalid, not_found
from propgraph.workflows.repair import (
    StagePlan,
    apportion,
    check_stages,
    parse_facilities,
    parse_money,
    shortfalls,
)

MAX_UNITS = 10_000
MAX_STAGES = 20


def _title(value: str) -> str:
    title = value.strip()
    if not title or len(title) > 128:
        raise invalid("title", "Give a title of at most 128 characters.")
    return title


def _stages(data: CreateRepairProjectInput) -> list[StagePlan]:
    if len(data.stages) > MAX_STAGES:
        raise invalid("stages", f"At most {MAX_STAGES} stages.")
    plans = []
    for index, stage in enumerate(data.stages):
        name = stage.name.strip()
        if len(name) > 64:
            raise invalid(f"stages.{index}.name", "A stage name has at most 64 characters.")
        plans.append(StagePlan(name, parse_money(stage.amount, f"stages.{index}.amount")))
    return plans


def _unit_pks(data: CreateRepairProjectInput) -> list[int]:
    if not data.unit_ids:
        raise invalid("unitIds", "Give the units that share the cost.")
    if len(data.unit_ids) > MAX_UNITS:
        raise invalid("unitIds", f"At most {MAX_UNITS} units.")
    if len(set(data.unit_ids)) != len(data.unit_ids):
        raise invalid("unitIds", "A unit is listed twice.")
    pks = [pk_of(global_id, "Unit") for global_id in data.unit_ids]
    if any(pk is None for pk in pks):
        raise not_found("unit in this project", "unitIds")
    return [pk for pk in pks if pk is not None]


class CreateRepairProject(BaseMutation):
    name = "createRepairProject"
    description = (
        "Draft a repair project of one of your projects: facilities, budget, the units sharing "
        "the cost by floor area (to the fen) and a disbursement plan adding up to the budget "
        "(enterprise or project manager). Units short of their share are reported."
    )
    input_type = CreateRepairProjectInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: CreateRepairProjectInput) -> RepairProjectPayload:
        conn, viewer = write.conn, write.viewer
        project = (
            await conn.execute(
                select(Project).where(
                    Project.id == pk_of(data.project_id, "Project"), viewer.scope.projects()
                )
            )
        ).first()
        if project is None:
            raise not_found("project", "projectId")
        title = _title(data.title)
        facilities = parse_facilities(data.facilities)
        budget = parse_money(data.budget, "budget")
        stages = _stages(data)
        check_stages(stages, budget)
        unit_pks = _unit_pks(data)
        units = (
            await conn.execute(
                select(Unit.id, Unit.floor_area, FundAccount.balance)
                .join(FundAccount, FundAccount.unit_id == Unit.id)
                .where(Unit.id.in_(unit_pks), Unit.project_id == project.id, viewer.scope.units())
                .order_by(Unit.id)
            )
        ).all()
        if len(units) != len(unit_pks):
            raise not_found("unit in this project", "unitIds")
        if sum((u.floor_area for u in units), Decimal(0)) <= 0:
            raise invalid("unitIds", "The sharing units have no floor area to share by.")
        shares = apportion(budget, [(u.id, u.floor_area) for u in units])

        pk = (
            await conn.execute(
                insert(RepairProject)
                .values(
                    project_id=project.id,
                    enterprise_id=project.enterprise_id,
                    community_id=project.community_id,
                    street_id=project.street_id,
                    district_id=project.district_id,
                    kind=data.kind,
                    title=title,
                    status=RepairStatus.DRAFT,
                    facilities=facilities,
                    budget=budget,
                    paid=Decimal(0),
                    version=1,
                    created_by_id=write.actor.id,
                    created_at=write.now,
                    updated_at=write.now,
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
        await record_transition(
            conn,
            subject_type=SUBJECT,
            subject_id=pk,
            actor=write.actor,
            at=write.now,
            action="repair.create",
            from_status=None,
            to_status=RepairStatus.DRAFT.value,
        )
        short = {s.unit_id for s in shortfalls(shares, {u.id: u.balance for u in units})}
        short_rows: Sequence[Row[*tuple[Any, ...]]] = []
        if short:
            short_rows = (
                await conn.execute(
                    REPAIR_SHARE.columns()
                    .where(RepairShare.repair_project_id == pk, RepairShare.unit_id.in_(short))
                    .order_by(RepairShare.unit_id)
                )
            ).all()
        row = (await conn.execute(REPAIR_PROJECT.columns().where(RepairProject.id == pk))).one()
        return RepairProjectPayload(
            repair_project=RepairProjectType.from_row(row),
            shortfalls=[RepairShareType.from_row(r) for r in short_rows],
        )
