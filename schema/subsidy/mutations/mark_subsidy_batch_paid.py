"""markSubsidyBatchPaid (DISTRICT): the batch was paid; its applications are final."""

from __future__ import annotations

from propgraph.clock import local_date
from propgraph.resolvers.rows import reread
from propgraph.resolvers.subsidy import writes
from propgraph.resolvers.subsidy.kinds import SUBSIDY_BATCH
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import MarkSubsidyBatchPaidInput
from propgraph.schema.subsidy.payloads import SubsidyBatchPayload
from propgraph.schema.subsidy.types import SubsidyBatch as SubsidyBatchType
from propgraph.workflows import subsidy
from propgraph.workflows.errors import invalid_state


class MarkSubsidyBatchPaid(BaseMutation):
    name = "markSubsidyBatchPaid"
    description = "Record the day a reported batch was paid; tells each manager by SMS (district)."
    input_type = MarkSubsidyBatchPaidInput
    payload_type = SubsidyBatchPayload

    @classmethod
    async def perform(cls, write: Write, data: MarkSubsidyBatchPaidInput) -> SubsidyBatchPayload:
        conn, viewer = write.conn, write.viewer
        batch = await writes.visible_batch(conn, viewer, pk_of(data.batch_id, "SubsidyBatch"))
        if batch.paid_on is not None:
            raise invalid_state(f"This batch was already marked paid on {batch.paid_on}.")
        subsidy.check_paid_on(
            data.paid_on,
            reported_on=local_date(batch.reported_at),
            today=write.context.services.today(),
        )
        apps = await writes.mark_batch_paid(
            conn, batch.id, paid_on=data.paid_on, paid_by_id=write.actor.id
        )
        for app in apps:
            await subsidy.MACHINE.apply(
                conn,
                action=subsidy.PAID,
                row=app,
                version=app.version,
                actor=write.actor,
                now=write.now,
                facts={"paid_on": data.paid_on},
                reread=False,
            )
        updated = await reread(conn, SUBSIDY_BATCH, batch.id)
        return SubsidyBatchPayload(batch=SubsidyBatchType.from_row(updated))
