"""markSubsidyBatchPaid (DISTRICT): the batch was paid; its applications are final."""

from __future__ import annotations

from sqlalchemy import update

from propgraph.clock import local_date
from propgraph.models import SubsidyApplication, SubsidyBatch
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_BATCH
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import MarkSubsidyBatchPaidInput
from propgraph.schema.subsidy.payloads import SubsidyBatchPayload
from propgraph.schema.subsidy.types import SubsidyBatch as SubsidyBatchType
from propgraph.workflows import subsidy
from propgraph.workflows.errors import conflict, invalid_state, not_found


class MarkSubsidyBatchPaid(BaseMutation):
    name = "markSubsidyBatchPaid"
    description = "Record the day a reported batch was paid; tells each manager by SMS (district)."
    input_type = MarkSubsidyBatchPaidInput
    payload_type = SubsidyBatchPayload

    @classmethod
    async def perform(cls, write: Write, data: MarkSubsidyBatchPaidInput) -> SubsidyBatchPayload:
        conn, viewer = write.conn, write.viewer
        batch_pk = pk_of(data.batch_id, "SubsidyBatch")
        batch = (
            await conn.execute(SUBSIDY_BATCH.scoped(viewer).where(SubsidyBatch.id == batch_pk))
        ).first()
        if batch is None:
            raise not_found("subsidy batch", "batchId")
        if batch.paid_on is not None:
            raise invalid_state(f"This batch was already marked paid on {batch.paid_on}.")
        subsidy.check_paid_on(
            data.paid_on,
            reported_on=local_date(batch.reported_at),
            today=write.context.services.today(),
        )
        marked = await conn.execute(
            update(SubsidyBatch)
            .where(SubsidyBatch.id == batch.id, SubsidyBatch.paid_on.is_(None))
            .values(paid_on=data.paid_on, paid_by_id=write.actor.id)
        )
        if marked.rowcount != 1:
            raise conflict()
        apps = (
            await conn.execute(
                SUBSIDY_APPLICATION.columns().where(SubsidyApplication.batch_id == batch.id)
            )
        ).all()
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
        updated = (
            await conn.execute(SUBSIDY_BATCH.columns().where(SubsidyBatch.id == batch.id))
        ).one()
        return SubsidyBatchPayload(batch=SubsidyBatchType.from_row(updated))
