"""createSubsidyApplication (ENTERPRISE): a draft for one of its projects."""

from __future__ import annotations

from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError

from propgraph.models import Enterprise, Project, SubsidyApplication, SubsidyStatus
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION
from propgraph.resolvers.subsidy.writes import visible_round
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import CreateSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication as SubsidyApplicationType
from propgraph.workflows import subsidy
from propgraph.workflows.errors import duplicate, invalid_state, not_found
from propgraph.workflows.subsidy import parse_area, parse_mobile, parse_name, require_open

DUPLICATE_MESSAGE = "This project already has an application in this round."


class CreateSubsidyApplication(BaseMutation):
    name = "createSubsidyApplication"
    description = (
        "Create a draft application for one of your projects in an open round (enterprise)."
    )
    input_type = CreateSubsidyApplicationInput
    payload_type = SubsidyApplicationPayload

    @classmethod
    async def perform(
        cls, write: Write, data: CreateSubsidyApplicationInput
    ) -> SubsidyApplicationPayload:
        conn, viewer = write.conn, write.viewer
        round_ = await visible_round(conn, viewer, pk_of(data.round_id, "SubsidyRound"), "roundId")
        project_pk = pk_of(data.project_id, "Project")
        project = (
            await conn.execute(
                select(Project).where(Project.id == project_pk, viewer.scope.projects())
            )
        ).first()
        if project is None:
            raise not_found("project", "projectId")
        manager_name = parse_name(data.manager_name, "managerName")
        manager_phone = parse_mobile(data.manager_phone, "managerPhone")
        area = parse_area(data.area, "area") or project.total_area
        require_open(round_.opens_on, round_.closes_on, write.context.services.today())
        bank_account = await conn.scalar(
            select(Enterprise.bank_account).where(Enterprise.id == write.actor.enterprise_id)
        )
        if not bank_account:
            raise invalid_state("Record the enterprise's receiving bank account first.")
        taken = await conn.scalar(
            select(
                exists().where(
                    SubsidyApplication.round_id == round_.id,
                    SubsidyApplication.project_id == project.id,
                )
            )
        )
        if taken:
            raise duplicate(DUPLICATE_MESSAGE, "projectId")
        try:
            pk = (
                await conn.execute(
                    insert(SubsidyApplication)
                    .values(
                        round_id=round_.id,
                        project_id=project.id,
                        enterprise_id=write.actor.enterprise_id,
                        community_id=project.community_id,
                        street_id=project.street_id,
                        district_id=project.district_id,
                        status=SubsidyStatus.DRAFT,
                        manager_name=manager_name,
                        manager_phone=manager_phone,
                        property_type=data.property_type,
                        recorded_area=project.total_area,
                        area=area,
                        bank_account=bank_account,
                        version=1,
                        created_at=write.now,
                        updated_at=write.now,
                    )
                    .returning(SubsidyApplication.id)
                )
            ).scalar_one()
        except IntegrityError as exc:  # a concurrent create won the unique constraint
            raise duplicate(DUPLICATE_MESSAGE, "projectId") from exc
        app = (
            await conn.execute(SUBSIDY_APPLICATION.columns().where(SubsidyApplication.id == pk))
        ).one()
        await subsidy.MACHINE.apply(
            conn, action=subsidy.CREATE, row=app, actor=write.actor, now=write.now, reread=False
        )
        return SubsidyApplicationPayload(application=SubsidyApplicationType.from_row(app))
