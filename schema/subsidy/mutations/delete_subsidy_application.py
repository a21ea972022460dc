"""deleteSubsidyApplication (ENTERPRISE): delete a draft, its evidence and to-dos."""

from __future__ import annotations

from functools import partial

from propgraph.resolvers.subsidy import writes
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.relay import to_global_id
from propgraph.schema.subsidy.inputs import DeleteSubsidyApplicationInput
from propgraph.schema.subsidy.payloads import DeletePayload
from propgraph.storage import FileStore
from propgraph.workflows import subsidy
from propgraph.workflows.subsidy import SUBJECT


class DeleteSubsidyApplication(BaseMutation):
    name = "deleteSubsidyApplication"
    description = "Delete a draft application (enterprise). Its history stays in the audit trail."
    input_type = DeleteSubsidyApplicationInput
    payload_type = DeletePayload

    @classmethod
    async def perform(cls, write: Write, data: DeleteSubsidyApplicationInput) -> DeletePayload:
        conn = write.conn
        app = await writes.visible_application(conn, write.viewer, pk_of(data.id, SUBJECT))
        step = subsidy.MACHINE.check(
            subsidy.DELETE, row=app, actor=write.actor, version=data.version
        )
        files = await writes.delete_draft(conn, app.id, data.version)
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
