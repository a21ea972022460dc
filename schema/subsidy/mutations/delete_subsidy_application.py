"""deleteSubsidyApplication (ENTERPRISE): delete a draft, its evidence and to-dos."""

from __future__ import annotations

from functools import partial

from sqlalchemy import delete, select

from propgraph.models import Evidence, SubsidyApplication, Todo, TodoStatus
from propgraph.resolvers.subsidy.writes import visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.relay import to_global_id
from propgraph.schema.subsidy.inputs import DeleteSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import DeletePayload
from propgraph.storage import FileStore
from propgraph.workflows import subsidy
from propgraph.workflows.errors import conflict
from propgraph.workflows.subsidy import SUBJECT


class DeleteSubsidyApplication(BaseMutation):
    name = "deleteSubsidyApplication"
    description = "Delete a draft application (enterprise). Its history stays in the audit trail."
    input_type = DeleteSubsidyApplicationInput
    payload_type = DeletePayload

    @classmethod
    async def perform(cls, write: Write, data: DeleteSubsidyApplicationInput) -> DeletePayload:
        conn = write.conn
        app = await visible_application(conn, write.viewer, pk_of(data.id, SUBJECT))
        step = subsidy.MACHINE.check(
            subsidy.DELETE, row=app, actor=write.actor, version=data.version
        )
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
        await subsidy.MACHINE.record(
            conn,
            subject_id=app.id,
            actor=write.actor,
            at=write.now,
            action=step.action,
            from_status=app.status,
            to_status=step.target,
        )
        store = FileStore(write.context.services.settings.upload_dir)
        for stored_as in files:
            write.after_commit(partial(store.delete, stored_as))
        return DeletePayload(deleted_id=to_global_id(SUBJECT, app.id))
