"""reportSubsidyBatch (DISTRICT): report approved applications; fixes each amount."""

from __future__ import annotations

from decimal import Decimal

from propgraph.resolvers.rows import reread
from propgraph.resolvers.subsidy import writes
from propgraph.resolvers.subsidy.kinds import SUBSIDY_BATCH
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import ReportSubsidyBatchInput
from propgraph.schema.subsidy.payloads import SubsidyBatchPayload
from propgraph.schema.subsidy.types import SubsidyBatch as SubsidyBatchType
from propgraph.workflows import subsidy
from propgraph.workflows.errors import invalid, not_found


class ReportSubsidyBatch(BaseMutation):
    name = "reportSubsidyBatch"
    description = (
        "Report district-approved applications of one round in a batch (集中报送); "
        "fixes each amount = area × rate × months, to the fen (district)."
    )
    input_type = ReportSubsidyBatchInput
    payload_type = SubsidyBatchPayload

    @classmethod
    async def perform(cls, write: Write, data: ReportSubsidyBatchInput) -> SubsidyBatchPayload:
        conn, viewer, actor = write.conn, write.viewer, write.actor
        round_ = await writes.visible_round(
            conn, viewer, pk_of(data.round_id, "SubsidyRound"), "roundId"
        )
        subsidy.check_batch(data.application_ids)
        pks = [pk_of(gid, subsidy.SUBJECT) for gid in data.application_ids]
        rows = await writes.visible_applications(conn, viewer, pks)
        if len(rows) != len(pks):
            raise not_found("subsidy application", "applicationIds")
        if any(row.round_id != round_.id for row in rows):
            raise invalid("applicationIds", "Every application must belong to the round reported.")
        for row in rows:  # every application's stage before anything is written
            subsidy.MACHINE.check(subsidy.REPORT, row=row, actor=actor, version=row.version)
        amounts = {
            row.id: subsidy.subsidy_amount(row.area, round_.rate_per_sqm_month, round_.months)
            for row in rows
        }
        batch_id = await writes.insert_batch(
            conn,
            round_id=round_.id,
            district_id=actor.district_id,
            total_amount=sum(amounts.values(), Decimal(0)),
            reported_by_id=actor.id,
            now=write.now,
        )
        for row in rows:
            await subsidy.MACHINE.apply(
                conn,
                action=subsidy.REPORT,
                row=row,
                version=row.version,
                actor=actor,
                now=write.now,
                values={"amount": amounts[row.id], "batch_id": batch_id},
                reread=False,
            )
        batch = await reread(conn, SUBSIDY_BATCH, batch_id)
        return SubsidyBatchPayload(batch=SubsidyBatchType.from_row(batch))
