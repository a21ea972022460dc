"""reviewRepairProject (DISTRICT)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import ReviewRepairProjectInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.schema.subsidy.enums import ReviewDecision
from propgraph.workflows import repair_steps
from propgraph.workflows.repair import parse_reason


class ReviewRepairProject(BaseMutation):
    name = "reviewRepairProject"
    description = (
        "Approve (payments may start) or reject (back to publicity, reason required) a "
        "submitted repair project of your district."
    )
    input_type = ReviewRepairProjectInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: ReviewRepairProjectInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.review(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
            approve=data.decision == ReviewDecision.APPROVE,
            comment=parse_reason(
                data.comment, "comment", required=data.decision == ReviewDecision.REJECT
            ),
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
