"""markSubsidyBatchPaid (DISTRICT): the batch was paid; its applications are final."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from propgraph.clock import local_date
from propgraph.models import SubsidyApplication, SubsidyBatch, SubsidyStatus
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_BATCH
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import MarkSubsidyBatchPaidInput
from propgraph.schema.subsidy.payloads import SubsidyBatchPayload
from propgraph.schema.subsidy.types import SubsidyBatch as SubsidyBatchType
from propgraph.workflows.errors import conflict, invalid, invalid_state, not_found
from propgraph.workflows.subsidy import record, text_manager


class MarkSubsidyBatchPaid(BaseMutation):
    name = "markSubsidyBatchPaid"
    description = "Record the day a reported batch was paid; tells each manager by SMS (district)."
    input_type = MarkSubsidyBatchPaidInput
    payload_type = SubsidyBatchPayload

    @classmethod
    async def perform(cls, write: Write, data: MarkSubsidyBatchPaidInput) -> dict[str, Any]:
        conn, viewer = write.conn, write.viewer
        batch_pk = pk_of(data.batch_id, "SubsidyBatch")
        batch = (
            await conn.execute(SUBSIDY_BATCH.scoped(viewer).where(SubsidyBatch.id == batch_pk))
        ).first()
        if batch is None:
            raise not_found("subsidy batch", "batchId")
        if batch.paid_on is not None:
            raise invalid_state(f"This batch was already marked paid on {batch.paid_on}.")
        if data.paid_on < local_date(batch.reported_at):
            raise invalid("paidOn", "A batch cannot be paid before it was reported.")
        if data.paid_on > write.context.services.today():
            raise invalid("paidOn", "The payment date cannot be in the future.")
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
        await conn.execute(
            update(SubsidyApplication)
            .where(SubsidyApplication.batch_id == batch.id)
            .values(
                status=SubsidyStatus.PAID,
                version=SubsidyApplication.version + 1,
                updated_at=write.now,
            )
        )
        for app in apps:
            await record(
                conn,
                app.id,
                write.actor,
                write.now,
                "subsidy.paid",
                app.status,
                SubsidyStatus.PAID,
                f"paid on {data.paid_on}",
            )
            await text_manager(
                conn,
                app,
                app.project_name,
                write.now,
                template="subsidy.paid",
                text=f"【物业监管平台】{app.project_name}的疫情防控补贴{app.amount}元已于{data.paid_on}拨付。",
                amount=str(app.amount),
                paid_on=data.paid_on.isoformat(),
            )
        updated = (
            await conn.execute(SUBSIDY_BATCH.columns().where(SubsidyBatch.id == batch.id))
        ).one()
        return {"batch": SubsidyBatchType.from_row(updated)}
