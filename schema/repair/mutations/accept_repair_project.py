"""acceptRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import AcceptRepairProjectInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.workflows import repair_steps
from propgraph.workflows.repair import parse_money


class AcceptRepairProject(BaseMutation):
    name = "acceptRepairProject"
    description = (
        "The acceptance (验收) and its publicity, with the settled amount: it must "
        "precede the last stage and any payment past 70% of the budget."
    )
    input_type = AcceptRepairProjectInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: AcceptRepairProjectInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.accept(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
            settled=parse_money(data.settled_amount, "settledAmount"),
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
