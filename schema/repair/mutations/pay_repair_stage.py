"""payRepairStage (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import PayRepairStageInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.workflows import repair_steps
from propgraph.workflows.repair import parse_money


class PayRepairStage(BaseMutation):
    name = "payRepairStage"
    description = (
        "Pay part of a stage: debited from the sharing units in proportion to their "
        "shares, to the fen. At most what remains of the stage; before acceptance never the "
        "last stage nor past 70% of the budget; a simple project pays once, its budget."
    )
    input_type = PayRepairStageInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: PayRepairStageInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.pay(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
            stage=data.stage,
            amount=parse_money(data.amount, "amount"),
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
