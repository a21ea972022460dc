"""startRepairVote (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import StartRepairVoteInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject
from propgraph.workflows import repair_steps


class StartRepairVote(BaseMutation):
    name = "startRepairVote"
    description = (
        "Open the owners' vote on a normal or simple draft: a meeting with one "
        "DOUBLE_TWO_THIRDS topic; the owners are notified and each voter gets a to-do."
    )
    input_type = StartRepairVoteInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: StartRepairVoteInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await repair_steps.start_vote(
            write.conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
            starts=data.voting_starts_at,
            ends=data.voting_ends_at,
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
