"""updateSubsidyApplication (ENTERPRISE): edit a draft."""

from __future__ import annotations

from typing import Any

from propgraph.resolvers.subsidy.writes import visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import UpdateSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication
from propgraph.workflows import subsidy
from propgraph.workflows.subsidy import SUBJECT, parse_area, parse_mobile, parse_name


class UpdateSubsidyApplication(BaseMutation):
    name = "updateSubsidyApplication"
    description = "Edit a draft application; omitted fields stay as they are (enterprise)."
    input_type = UpdateSubsidyApplicationInput
    payload_type = SubsidyApplicationPayload

    @classmethod
    async def perform(
        cls, write: Write, data: UpdateSubsidyApplicationInput
    ) -> SubsidyApplicationPayload:
        app = await visible_application(write.conn, write.viewer, pk_of(data.id, SUBJECT))
        changes: dict[str, Any] = {}
        if data.manager_name is not None:
            changes["manager_name"] = parse_name(data.manager_name, "managerName")
        if data.manager_phone is not None:
            changes["manager_phone"] = parse_mobile(data.manager_phone, "managerPhone")
        if data.property_type is not None:
            changes["property_type"] = data.property_type
        if data.area is not None:
            changes["area"] = parse_area(data.area, "area")
        updated = await subsidy.MACHINE.apply(
            write.conn,
            action=subsidy.UPDATE,
            row=app,
            version=data.version,
            actor=write.actor,
            now=write.now,
            values=changes,
        )
        return SubsidyApplicationPayload(application=SubsidyApplication.from_row(updated))
