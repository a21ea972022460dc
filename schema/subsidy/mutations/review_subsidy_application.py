"""reviewSubsidyApplication (COMMUNITY, STREET, DISTRICT, each at its own stage)."""

from __future__ import annotations

from propgraph.resolvers.subsidy.writes import visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.enums import ReviewDecision
from propgraph.schema.subsidy.inputs import ReviewSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication
from propgraph.workflows import subsidy


class ReviewSubsidyApplication(BaseMutation):
    name = "reviewSubsidyApplication"
    description = (
        "Approve (on to the next level) or reject (back to the manager, reason required) "
        "an application at your level; the street confirms a changed area."
    )
    input_type = ReviewSubsidyApplicationInput
    payload_type = SubsidyApplicationPayload

    @classmethod
    async def perform(
        cls, write: Write, data: ReviewSubsidyApplicationInput
    ) -> SubsidyApplicationPayload:
        actor = write.actor
        app = await visible_application(write.conn, write.viewer, pk_of(data.id, subsidy.SUBJECT))
        approving = data.decision == ReviewDecision.APPROVE
        action = subsidy.APPROVE if approving else subsidy.REJECT
        # the application's stage is refused before the input (apply checks it again)
        subsidy.MACHINE.check(action, row=app, actor=actor, version=data.version)
        comment = subsidy.parse_comment(data.comment, required=not approving)
        values = subsidy.area_confirmation(
            role=actor.role,
            approving=approving,
            area=app.area,
            recorded_area=app.recorded_area,
            confirmed=data.confirm_area,
        )
        updated = await subsidy.MACHINE.apply(
            write.conn,
            action=action,
            row=app,
            version=data.version,
            actor=actor,
            now=write.now,
            values=values,
            comment=comment,
        )
        return SubsidyApplicationPayload(application=SubsidyApplication.from_row(updated))
