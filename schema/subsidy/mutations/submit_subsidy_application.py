"""submitSubsidyApplication (MANAGER): accept the pledge and submit to the community."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from propgraph.models import Evidence, Role, SubsidyRound, SubsidyStatus
from propgraph.resolvers.subsidy.writes import update_versioned, visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import SubmitSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication
from propgraph.workflows.errors import conflict, invalid, invalid_state
from propgraph.workflows.subsidy import (
    SUBJECT,
    SUBMITTABLE,
    ask_office_to_review,
    parse_area,
    record,
    require_open,
)
from propgraph.workflows.todos import close_todos


async def supporting_evidence(
    write: Write, app_id: int, evidence_ids: list[str] | None
) -> list[int]:
    """The evidence backing a changed area: the ids given, which must all be this
    application's, or else everything already uploaded for it."""
    owned = set(
        (
            await write.conn.execute(select(Evidence.id).where(Evidence.application_id == app_id))
        ).scalars()
    )
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
    async def perform(cls, write: Write, data: SubmitSubsidyApplicationInput) -> dict[str, Any]:
        conn = write.conn
        app = await visible_application(conn, write.viewer, pk_of(data.id, SUBJECT))
        if app.version != data.version:
            raise conflict()
        if app.status not in SUBMITTABLE:
            raise invalid_state(f"An application that is {app.status.value} cannot be submitted.")
        if data.accept_pledge is not True:
            raise invalid("acceptPledge", "The pledge letter (承诺函) must be accepted to submit.")
        area = parse_area(data.area, "area") or app.area
        if area != app.recorded_area and not await supporting_evidence(
            write, app.id, data.evidence_ids
        ):
            raise invalid(
                "evidenceIds",
                "A changed area needs at least one piece of evidence (contract, area table, "
                "completion report).",
            )
        window = (
            await conn.execute(
                select(SubsidyRound.opens_on, SubsidyRound.closes_on).where(
                    SubsidyRound.id == app.round_id
                )
            )
        ).one()
        require_open(window.opens_on, window.closes_on, write.context.services.today())
        updated = await update_versioned(
            conn,
            app,
            data.version,
            status=SubsidyStatus.SUBMITTED,
            area=area,
            area_confirmed=False,
            pledge_accepted_at=write.now,
            updated_at=write.now,
        )
        await record(
            conn,
            app.id,
            write.actor,
            write.now,
            "subsidy.submit",
            app.status,
            SubsidyStatus.SUBMITTED,
        )
        await close_todos(
            conn, subject_type=SUBJECT, subject_id=app.id, done_by=write.actor.id, now=write.now
        )
        await ask_office_to_review(conn, updated, Role.COMMUNITY, app.project_name, write.now)
        return {"application": SubsidyApplication.from_row(updated)}
