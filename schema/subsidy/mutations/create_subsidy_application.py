"""createSubsidyApplication (ENTERPRISE): a draft for one of its projects."""

from __future__ import annotations

from propgraph.resolvers.rows import visible_project
from propgraph.resolvers.subsidy import writes
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import CreateSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication as SubsidyApplicationType
from propgraph.workflows import subsidy
from propgraph.workflows.errors import invalid_state
from propgraph.workflows.subsidy import parse_area, parse_mobile, parse_name, require_open


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
        round_ = await writes.visible_round(
            conn, viewer, pk_of(data.round_id, "SubsidyRound"), "roundId"
        )
        project = await visible_project(conn, viewer, pk_of(data.project_id, "Project"))
        manager_name = parse_name(data.manager_name, "managerName")
        manager_phone = parse_mobile(data.manager_phone, "managerPhone")
        area = parse_area(data.area, "area") or project.total_area
        require_open(round_.opens_on, round_.closes_on, write.context.services.today())
        bank_account = await writes.bank_account(conn, write.actor.enterprise_id)
        if not bank_account:
            raise invalid_state("Record the enterprise's receiving bank account first.")
        app = await writes.insert_draft(
            conn,
            round_id=round_.id,
            project=project,
            enterprise_id=write.actor.enterprise_id,
            manager_name=manager_name,
            manager_phone=manager_phone,
            property_type=data.property_type,
            area=area,
            bank_account=bank_account,
            now=write.now,
        )
        await subsidy.MACHINE.apply(
            conn, action=subsidy.CREATE, row=app, actor=write.actor, now=write.now, reread=False
        )
        return SubsidyApplicationPayload(application=SubsidyApplicationType.from_row(app))
