"""submitSubsidyApplication (MANAGER): accept the pledge and submit to the community."""

from __future__ import annotations

from collections.abc import Sequence

from propgraph.resolvers.subsidy import writes
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import SubmitSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication
from propgraph.workflows import subsidy
from propgraph.workflows.errors import invalid


async def supporting_evidence(
    write: Write, app_id: int, evidence_ids: Sequence[str] | None
) -> list[int]:
    """The evidence backing a changed area: the ids given, which must all be this
    application's, or else everything already uploaded for it."""
    owned = await writes.evidence_ids(write.conn, app_id)
    if evidence_ids is None:
        return sorted(owned)
    wanted = [pk_of(gid, "Evidence") for gid in evidence_ids]
    if any(pk is None or pk not in owned for pk in wanted):
        raise invalid(
            "evidenceIds", "Every evidence id must be a document uploaded for this application."
        )
    return [pk for pk in wanted if pk is not None]


class SubmitSubsidyApplication(BaseMutation):
    name = "submitSubsidyApplication"
    description = (
        "Accept the pledge letter (承诺函) and submit to the community; a changed area "
        "needs at least one piece of evidence (manager)."
    )
    input_type = SubmitSubsidyApplicationInput
    payload_type = SubsidyApplicationPayload

    @classmethod
    async def perform(
        cls, write: Write, data: SubmitSubsidyApplicationInput
    ) -> SubsidyApplicationPayload:
        conn, actor = write.conn, write.actor
        app = await writes.visible_application(conn, write.viewer, pk_of(data.id, subsidy.SUBJECT))
        # the application's stage is refused before the input (apply checks it again)
        subsidy.MACHINE.check(subsidy.SUBMIT, row=app, actor=actor, version=data.version)
        subsidy.require_pledge(data.accept_pledge)
        area = subsidy.parse_area(data.area, "area") or app.area
        if area != app.recorded_area:
            evidence = await supporting_evidence(write, app.id, data.evidence_ids)
            subsidy.require_evidence(area, app.recorded_area, evidence)
        opens_on, closes_on = await writes.round_window(conn, app.round_id)
        subsidy.require_open(opens_on, closes_on, write.context.services.today())
        updated = await subsidy.MACHINE.apply(
            conn,
            action=subsidy.SUBMIT,
            row=app,
            version=data.version,
            actor=actor,
            now=write.now,
            values={"area": area, "area_confirmed": False, "pledge_accepted_at": write.now},
        )
        return SubsidyApplicationPayload(application=SubsidyApplication.from_row(updated))
