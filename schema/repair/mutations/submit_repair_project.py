"""submitRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import RepairStepInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.workflows import repair_steps


class SubmitRepairProject(BaseMutation):
    name = "submitRepairProject"
    description = (
        "Submit the project to the district for review (立项申请); a simple project "
        "after its acceptance."
    )
    input_type = RepairStepInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: RepairStepInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.submit(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
