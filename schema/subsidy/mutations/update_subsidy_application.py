"""updateSubsidyApplication (ENTERPRISE): edit a draft."""

from __future__ import annotations

from typing import Any

from propgraph.models import SubsidyStatus
from propgraph.resolvers.subsidy.writes import update_versioned, visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import UpdateSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import SubsidyApplicationPayload
from propgraph.schema.subsidy.types import SubsidyApplication
from propgraph.workflows.errors import invalid_state
from propgraph.workflows.subsidy import (
    EDITABLE,
    SUBJECT,
    parse_area,
    parse_mobile,
    parse_name,
    record,
)


class UpdateSubsidyApplication(BaseMutation):
    name = "updateSubsidyApplication"
    description = "Edit a draft application; omitted fields stay as they are (enterprise)."
    input_type = UpdateSubsidyApplicationInput
    payload_type = SubsidyApplicationPayload

    @classmethod
    async def perform(cls, write: Write, data: UpdateSubsidyApplicationInput) -> dict[str, Any]:
        app = await visible_application(write.conn, write.viewer, pk_of(data.id, SUBJECT))
        changes: dict[str, Any] = {"updated_at": write.now}
        if data.manager_name is not None:
            changes["manager_name"] = parse_name(data.manager_name, "managerName")
        if data.manager_phone is not None:
            changes["manager_phone"] = parse_mobile(data.manager_phone, "managerPhone")
        if data.property_type is not None:
            changes["property_type"] = data.property_type
        if data.area is not None:
            changes["area"] = parse_area(data.area, "area")
        if app.status not in EDITABLE:
            raise invalid_state("Only a draft can be edited; the manager has submitted it.")
        updated = await update_versioned(write.conn, app, data.version, **changes)
        await record(
            write.conn,
            app.id,
            write.actor,
            write.now,
            "subsidy.update",
            SubsidyStatus.DRAFT,
            SubsidyStatus.DRAFT,
        )
        return {"application": SubsidyApplication.from_row(updated)}
