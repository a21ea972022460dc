"""uploadEvidence (MANAGER): a supporting document, via the GraphQL multipart spec."""

from __future__ import annotations

from propgraph.resolvers.subsidy.writes import insert_evidence, visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import UploadEvidenceInput
from propgraph.schema.subsidy.payloads import EvidencePayload
from propgraph.schema.subsidy.types import Evidence as EvidenceType
from propgraph.storage import FileStore, accepted_upload
from propgraph.workflows import subsidy
from propgraph.workflows.errors import invalid_state
from propgraph.workflows.subsidy import SUBJECT, SUBMITTABLE


class UploadEvidence(BaseMutation):
    name = "uploadEvidence"
    description = "Upload a contract, area table or completion report for an application (manager)."
    input_type = UploadEvidenceInput
    payload_type = EvidencePayload

    @classmethod
    async def perform(cls, write: Write, data: UploadEvidenceInput) -> EvidencePayload:
        settings = write.context.services.settings
        app = await visible_application(
            write.conn, write.viewer, pk_of(data.application_id, SUBJECT)
        )
        if app.status not in SUBMITTABLE:
            raise invalid_state("Evidence can be added only before submitting, or after a return.")
        upload = await accepted_upload(data.file, settings.upload_max_bytes)
        store = FileStore(settings.upload_dir)
        stored = store.save(str(app.id), upload.content, upload.content_type, upload.suffix)
        write.undo.append(lambda: store.delete(stored.stored_as))
        row = await insert_evidence(
            write.conn,
            application_id=app.id,
            kind=data.kind,
            filename=upload.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            stored_as=stored.stored_as,
            uploaded_by_id=write.actor.id,
            now=write.now,
        )
        await subsidy.MACHINE.record(
            write.conn,
            subject_id=app.id,
            actor=write.actor,
            at=write.now,
            action=subsidy.EVIDENCE,
            from_status=app.status,
            to_status=app.status,
            comment=f"{data.kind.value}: {upload.filename}",
        )
        return EvidencePayload(evidence=EvidenceType.from_row(row))
