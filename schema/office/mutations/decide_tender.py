"""decideTender (STREET HEAD of the project's street): approve, reject or return."""

from __future__ import annotations

from typing import Any

from propgraph.clock import local_date
from propgraph.resolvers.office.writes import visible_filing
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.office.enums import TenderDecision
from propgraph.schema.office.inputs import DecideTenderInput
from propgraph.schema.office.payloads import TenderFilingPayload
from propgraph.schema.office.types import TenderFiling
from propgraph.workflows import tender, workdays

ACTIONS = {
    TenderDecision.APPROVE: tender.APPROVE,
    TenderDecision.REJECT: tender.REJECT,
    TenderDecision.RETURN_TO_CLERK: tender.RETURN,
}


class DecideTender(BaseMutation):
    name = "decideTender"
    description = (
        "The street head's decision on a filing the clerk reviewed: approve, reject (the filer "
        "may refile) or return it to the clerk; a reason is required to reject or return."
    )
    input_type = DecideTenderInput
    payload_type = TenderFilingPayload

    @classmethod
    async def perform(cls, write: Write, data: DecideTenderInput) -> TenderFilingPayload:
        actor = write.actor
        action = ACTIONS[data.decision]
        row = await visible_filing(write.conn, write.viewer, pk_of(data.id, tender.SUBJECT))
        tender.MACHINE.check(action, row=row, actor=actor, version=data.version)
        comment = tender.parse_text(
            data.comment, "comment", required=action != tender.APPROVE, limit=1000
        )
        values: dict[str, Any] = {"decision_comment": comment}
        if action != tender.RETURN:  # the age stops at the decision
            today = local_date(write.now)
            values["decided_on"] = today
            values["working_days"] = workdays.working_days(row.filed_on, today)
        updated = await tender.MACHINE.apply(
            write.conn,
            action=action,
            row=row,
            version=data.version,
            actor=actor,
            now=write.now,
            values=values,
            comment=comment,
        )
        return TenderFilingPayload(filing=TenderFiling.from_row(updated))
