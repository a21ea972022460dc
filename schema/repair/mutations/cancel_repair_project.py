"""cancelRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import CancelRepairProjectInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.workflows import repair_steps
from propgraph.workflows.repair import parse_reason


class CancelRepairProject(BaseMutation):
    name = "cancelRepairProject"
    description = (
        "Cancel (撤销) a project with nothing paid left (refund first); a vote still "
        "running is cancelled with it."
    )
    input_type = CancelRepairProjectInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: CancelRepairProjectInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.cancel(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
            reason=parse_reason(data.reason) or "",
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
