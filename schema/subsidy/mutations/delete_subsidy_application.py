"""deleteSubsidyApplication (ENTERPRISE): delete a draft, its evidence and to-dos."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from propgraph.models import Evidence, SubsidyApplication, SubsidyStatus, Todo, TodoStatus
from propgraph.resolvers.subsidy.writes import visible_application
from propgraph.schema.context import Context
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.relay import to_global_id
from propgraph.schema.subsidy.inputs import DeleteSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import DeletePayload
from propgraph.storage import FileStore
from propgraph.workflows.errors import conflict, invalid_state
from propgraph.workflows.subsidy import EDITABLE, SUBJECT, record


class DeleteSubsidyApplication(BaseMutation):
    name = "deleteSubsidyApplication"
    description = "Delete a draft application (enterprise). Its history stays in the audit trail."
    input_type = DeleteSubsidyApplicationInput
    payload_type = DeletePayload

    @classmethod
    async def perform(cls, write: Write, data: DeleteSubsidyApplicationInput) -> dict[str, Any]:
        conn = write.conn
        app = await visible_application(conn, write.viewer, pk_of(data.id, SUBJECT))
        if app.version != data.version:
            raise conflict()
        if app.status not in EDITABLE:
            raise invalid_state("Only a draft can be deleted; the manager has submitted it.")
        files = (
            (
                await conn.execute(
                    select(Evidence.stored_as).where(Evidence.application_id == app.id)
                )
            )
            .scalars()
            .all()
        )
        await conn.execute(delete(Evidence).where(Evidence.application_id == app.id))
        await conn.execute(
            delete(Todo).where(
                Todo.subject_type == SUBJECT,
                Todo.subject_id == app.id,
                Todo.status == TodoStatus.PENDING,
            )
        )
        deleted = await conn.execute(
            delete(SubsidyApplication).where(
                SubsidyApplication.id == app.id, SubsidyApplication.version == data.version
            )
        )
        if deleted.rowcount != 1:
            raise conflict()
        await record(
            conn, app.id, write.actor, write.now, "subsidy.delete", SubsidyStatus.DRAFT, "DELETED"
        )
        return {"deleted_id": to_global_id(SUBJECT, app.id), "files": list(files)}

    @classmethod
    async def after_commit(cls, context: Context, result: dict[str, Any]) -> None:
        store = FileStore(context.services.settings.upload_dir)
        for stored_as in result.pop("files"):
            store.delete(stored_as)
