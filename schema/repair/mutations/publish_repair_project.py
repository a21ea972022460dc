"""publishRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import RepairStepInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.workflows import repair_steps


class PublishRepairProject(BaseMutation):
    name = "publishRepairProject"
    description = (
        "Publish the project (立项公示): at once for an emergency, after a passed vote "
        "for the others. A vote that failed ends the project instead (CANCELLED)."
    )
    input_type = RepairStepInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: RepairStepInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.publish(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
