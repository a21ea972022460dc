"""giveTenderOpinion (STREET CLERK of the project's street): propose approve or reject."""

from __future__ import annotations

from propgraph.resolvers.office.writes import visible_filing
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.office.inputs import GiveTenderOpinionInput
from propgraph.schema.office.payloads import TenderFilingPayload
from propgraph.schema.office.types import TenderFiling
from propgraph.workflows import tender


class GiveTenderOpinion(BaseMutation):
    name = "giveTenderOpinion"
    description = "The street clerk's first opinion on a filing: propose approve or reject."
    input_type = GiveTenderOpinionInput
    payload_type = TenderFilingPayload

    @classmethod
    async def perform(cls, write: Write, data: GiveTenderOpinionInput) -> TenderFilingPayload:
        actor = write.actor
        row = await visible_filing(write.conn, write.viewer, pk_of(data.id, tender.SUBJECT))
        tender.MACHINE.check(tender.OPINION, row=row, actor=actor, version=data.version)
        remark = tender.parse_text(data.remark, "remark", required=True, limit=1000)
        updated = await tender.MACHINE.apply(
            write.conn,
            action=tender.OPINION,
            row=row,
            version=data.version,
            actor=actor,
            now=write.now,
            values={"proposal": data.proposal, "remark": remark},
        )
        return TenderFilingPayload(filing=TenderFiling.from_row(updated))
