"""reviewSubsidyApplication (COMMUNITY, STREET, DISTRICT, each at its own stage)."""

from __future__ import annotations

from typing import Any

from propgraph.models import Role, SubsidyStatus
from propgraph.resolvers.subsidy.writes import update_versioned, visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.enums import ReviewDecision
from propgraph.schema.subsidy.inputs import ReviewSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication
from propgraph.workflows.errors import conflict, invalid
from propgraph.workflows.subsidy import (
    LEVEL_NAME,
    SUBJECT,
    ask_office_to_review,
    hand_back_to_manager,
    parse_comment,
    record,
    review_stage,
    text_manager,
)
from propgraph.workflows.todos import close_todos, open_todo


class ReviewSubsidyApplication(BaseMutation):
    name = "reviewSubsidyApplication"
    description = (
        "Approve (on to the next level) or reject (back to the manager, reason required) "
        "an application at your level; the street confirms a changed area."
    )
    input_type = ReviewSubsidyApplicationInput
    payload_type = SubsidyApplicationPayload

    @classmethod
    async def perform(cls, write: Write, data: ReviewSubsidyApplicationInput) -> dict[str, Any]:
        conn, actor = write.conn, write.actor
        reviewer = Role(actor.role)
        app = await visible_application(conn, write.viewer, pk_of(data.id, SUBJECT))
        if app.version != data.version:
            raise conflict()
        stage = review_stage(app.status, reviewer)
        rejecting = data.decision == ReviewDecision.REJECT
        comment = parse_comment(data.comment, required=rejecting)
        area_changed = app.area != app.recorded_area
        if (
            not rejecting
            and reviewer == Role.STREET
            and area_changed
            and data.confirm_area is not True
        ):
            raise invalid(
                "confirmArea",
                f"The area was changed from {app.recorded_area} to {app.area} m²; "
                "confirm it (confirmArea: true) after checking the evidence.",
            )
        to_status = SubsidyStatus.RETURNED if rejecting else stage.approved
        changes: dict[str, Any] = {"status": to_status, "updated_at": write.now}
        if not rejecting and reviewer == Role.STREET and area_changed:
            changes["area_confirmed"] = True
        updated = await update_versioned(conn, app, data.version, **changes)
        await record(
            conn,
            app.id,
            actor,
            write.now,
            "subsidy.reject" if rejecting else "subsidy.approve",
            app.status,
            to_status,
            comment,
        )
        await close_todos(
            conn, subject_type=SUBJECT, subject_id=app.id, done_by=actor.id, now=write.now
        )
        level = LEVEL_NAME[reviewer]
        project = app.project_name
        if rejecting:
            # Back to the manager, never to the previous reviewer (seed 000, FAQ 8).
            await text_manager(
                conn,
                updated,
                project,
                write.now,
                template="subsidy.returned",
                text=f"【物业监管平台】您提交的{project}疫情防控补贴申请未通过{level}审核："
                f"{comment}。请登录系统修改后重新提交。",
                level=level,
                reason=comment,
            )
            await hand_back_to_manager(
                conn, updated, project, write.now, title="修改并重新提交疫情防控补贴申请"
            )
        elif stage.next_reviewer is not None:
            await ask_office_to_review(conn, updated, stage.next_reviewer, project, write.now)
        else:
            await text_manager(
                conn,
                updated,
                project,
                write.now,
                template="subsidy.approved",
                text=f"【物业监管平台】您提交的{project}疫情防控补贴申请已通过{level}审核，"
                "将由区住建局集中报送发放。",
                level=level,
            )
            await open_todo(
                conn,
                kind="subsidy.report",
                title=f"集中报送疫情防控补贴：{project}",
                subject_type=SUBJECT,
                subject_id=app.id,
                role=Role.DISTRICT,
                scope_id=app.district_id,
                now=write.now,
            )
        return {"application": SubsidyApplication.from_row(updated)}
