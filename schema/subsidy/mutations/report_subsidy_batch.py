"""reportSubsidyBatch (DISTRICT): report approved applications; fixes each amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update

from propgraph.models import SubsidyApplication, SubsidyBatch, SubsidyStatus
from propgraph.resolvers.sql import ids_in
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_BATCH
from propgraph.resolvers.subsidy.writes import visible_round
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import ReportSubsidyBatchInput
from propgraph.schema.subsidy.payloads import SubsidyBatchPayload
from propgraph.schema.subsidy.types import SubsidyBatch as SubsidyBatchType
from propgraph.workflows.errors import conflict, invalid, invalid_state, not_found
from propgraph.workflows.subsidy import SUBJECT, record, subsidy_amount
from propgraph.workflows.todos import close_todos

MAX_BATCH = 5000


class ReportSubsidyBatch(BaseMutation):
    name = "reportSubsidyBatch"
    description = (
        "Report district-approved applications of one round in a batch (集中报送); "
        "fixes each amount = area × rate × months, to the fen (district)."
    )
    input_type = ReportSubsidyBatchInput
    payload_type = SubsidyBatchPayload

    @classmethod
    async def perform(cls, write: Write, data: ReportSubsidyBatchInput) -> dict[str, Any]:
        conn, viewer = write.conn, write.viewer
        round_ = await visible_round(conn, viewer, pk_of(data.round_id, "SubsidyRound"), "roundId")
        if not data.application_ids:
            raise invalid("applicationIds", "A batch needs at least one application.")
        if len(data.application_ids) > MAX_BATCH:
            raise invalid("applicationIds", f"A batch holds at most {MAX_BATCH} applications.")
        if len(set(data.application_ids)) != len(data.application_ids):
            raise invalid("applicationIds", "An application appears twice in the batch.")
        pks = [pk_of(gid, SUBJECT) for gid in data.application_ids]
        rows = (
            await conn.execute(
                SUBSIDY_APPLICATION.scoped(viewer).where(
                    ids_in(
                        SubsidyApplication.id,
                        [pk for pk in pks if pk is not None],
                        conn.dialect.name,
                    )
                )
            )
        ).all()
        if len(rows) != len(pks):
            raise not_found("subsidy application", "applicationIds")
        if any(row.round_id != round_.id for row in rows):
            raise invalid("applicationIds", "Every application must belong to the round reported.")
        if any(row.status != SubsidyStatus.DISTRICT_APPROVED for row in rows):
            raise invalid_state("Only district-approved applications can be reported.")
        amounts = {
            row.id: subsidy_amount(row.area, round_.rate_per_sqm_month, round_.months)
            for row in rows
        }
        batch_id = (
            await conn.execute(
                insert(SubsidyBatch)
                .values(
                    round_id=round_.id,
                    district_id=write.actor.district_id,
                    total_amount=sum(amounts.values(), Decimal(0)),
                    reported_by_id=write.actor.id,
                    reported_at=write.now,
                )
                .returning(SubsidyBatch.id)
            )
        ).scalar_one()
        for row in rows:
            changed = await conn.execute(
                update(SubsidyApplication)
                .where(
                    SubsidyApplication.id == row.id,
                    SubsidyApplication.status == SubsidyStatus.DISTRICT_APPROVED,
                )
                .values(
                    status=SubsidyStatus.REPORTED,
                    amount=amounts[row.id],
                    batch_id=batch_id,
                    version=SubsidyApplication.version + 1,
                    updated_at=write.now,
                )
            )
            if changed.rowcount != 1:
                raise conflict()  # reported by someone else meanwhile
            await record(
                conn,
                row.id,
                write.actor,
                write.now,
                "subsidy.report",
                SubsidyStatus.DISTRICT_APPROVED,
                SubsidyStatus.REPORTED,
                f"amount {amounts[row.id]}",
            )
            await close_todos(
                conn, subject_type=SUBJECT, subject_id=row.id, done_by=write.actor.id, now=write.now
            )
        batch = (
            await conn.execute(SUBSIDY_BATCH.columns().where(SubsidyBatch.id == batch_id))
        ).one()
        return {"batch": SubsidyBatchType.from_row(batch)}
