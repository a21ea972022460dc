"""openSubsidyRound (CITY)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from propgraph.resolvers.rows import reread
from propgraph.resolvers.subsidy.kinds import SUBSIDY_ROUND
from propgraph.resolvers.subsidy.writes import insert_round
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import OpenSubsidyRoundInput
from propgraph.schema.subsidy.payloads import SubsidyRoundPayload
from propgraph.schema.subsidy.types import SubsidyRound as SubsidyRoundType
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import invalid


def parse_rate(value: float) -> Decimal:
    try:
        rate = Decimal(str(value))
    except InvalidOperation as exc:
        raise invalid("ratePerSqmMonth", "The rate must be a number.") from exc
    if not rate.is_finite() or rate <= 0 or rate > 100:
        raise invalid(
            "ratePerSqmMonth", "The rate must be more than 0 and at most 100 yuan/m²/month."
        )
    if rate != rate.quantize(Decimal("0.0001")):
        raise invalid("ratePerSqmMonth", "The rate may have at most four decimals.")
    return rate


class OpenSubsidyRound(BaseMutation):
    name = "openSubsidyRound"
    description = "Open a subsidy round with its rate, months and application window (city)."
    input_type = OpenSubsidyRoundInput
    payload_type = SubsidyRoundPayload

    @classmethod
    async def perform(cls, write: Write, data: OpenSubsidyRoundInput) -> SubsidyRoundPayload:
        name = (data.name or "").strip()
        if not 1 <= len(name) <= 128:
            raise invalid("name", "A name of 1 to 128 characters is required.")
        rate = parse_rate(data.rate_per_sqm_month)
        if not 1 <= data.months <= 24:
            raise invalid("months", "A round covers 1 to 24 months.")
        if data.closes_on < data.opens_on:
            raise invalid("closesOn", "The window must close on or after the day it opens.")
        pk = await insert_round(
            write.conn,
            name=name,
            rate=rate,
            months=data.months,
            opens_on=data.opens_on,
            closes_on=data.closes_on,
            created_by_id=write.actor.id,
            now=write.now,
        )
        await record_transition(
            write.conn,
            subject_type="SubsidyRound",
            subject_id=pk,
            actor=write.actor,
            at=write.now,
            action="subsidy.open_round",
            from_status=None,
            to_status="OPEN",
        )
        row = await reread(write.conn, SUBSIDY_ROUND, pk)
        return SubsidyRoundPayload(round=SubsidyRoundType.from_row(row))
