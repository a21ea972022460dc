"""createRepairProject (ENTERPRISE or MANAGER of the project): a draft with its shares."""

from __future__ import annotations

from decimal import Decimal

from propgraph.models.repair import RepairStatus
from propgraph.resolvers.repair import writes
from propgraph.resolvers.repair.dataloaders import SUBJECT
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT
from propgraph.resolvers.rows import reread, visible_project
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import CreateRepairProjectInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject as RepairProjectType
from propgraph.schema.repair.types import RepairShare as RepairShareType
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import invalid, not_found
from propgraph.workflows.repair import (
    apportion,
    check_stage_count,
    check_stages,
    parse_facilities,
    parse_money,
    parse_stages,
    shortfalls,
)

MAX_UNITS = 10_000


def _title(value: str) -> str:
    title = value.strip()
    if not title or len(title) > 128:
        raise invalid("title", "Give a title of at most 128 characters.")
    return title


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
        project = await visible_project(conn, viewer, pk_of(data.project_id, "Project"))
        title = _title(data.title)
        facilities = parse_facilities(data.facilities)
        budget = parse_money(data.budget, "budget")
        stages = parse_stages(data.stages)
        check_stages(stages, budget)
        check_stage_count(data.kind, stages)
        unit_pks = _unit_pks(data)
        units = await writes.sharing_units(conn, viewer, project.id, unit_pks)
        if len(units) != len(unit_pks):
            raise not_found("unit in this project", "unitIds")
        if sum((u.floor_area for u in units), Decimal(0)) <= 0:
            raise invalid("unitIds", "The sharing units have no floor area to share by.")
        shares = apportion(budget, [(u.id, u.floor_area) for u in units])

        pk = await writes.insert_draft(
            conn,
            project=project,
            kind=data.kind,
            title=title,
            facilities=facilities,
            budget=budget,
            units=units,
            shares=shares,
            stages=stages,
            created_by_id=write.actor.id,
            now=write.now,
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
        short_rows = await writes.shares_of_units(conn, pk, short)
        row = await reread(conn, REPAIR_PROJECT, pk)
        return RepairProjectPayload(
            repair_project=RepairProjectType.from_row(row),
            shortfalls=[RepairShareType.from_row(r) for r in short_rows],
        )
