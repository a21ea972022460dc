"""uploadMeetingDocument (the opening office, until voting ends): 会议材料, multipart."""

from __future__ import annotations

from propgraph.resolvers.owners.documents import insert_meeting_document
from propgraph.resolvers.owners.kinds import MEETING
from propgraph.resolvers.rows import visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import UploadMeetingDocumentInput
from propgraph.schema.subsidy.payloads import EvidencePayload
from propgraph.schema.subsidy.types import Evidence
from propgraph.storage import FileStore, accepted_upload
from propgraph.workflows import meetings


class UploadMeetingDocument(BaseMutation):
    name = "uploadMeetingDocument"
    description = (
        "Publish a document with a meeting you opened (会议材料: the repair plan, the "
        "contract, the rules put to the vote), until its voting ends."
    )
    input_type = UploadMeetingDocumentInput
    payload_type = EvidencePayload

    @classmethod
    async def perform(cls, write: Write, data: UploadMeetingDocumentInput) -> EvidencePayload:
        conn, settings = write.conn, write.context.services.settings
        row = await visible(
            conn, write.viewer, MEETING, pk_of(data.meeting_id, "Meeting"), "meeting"
        )
        status = meetings.check_document(row, write.actor, write.now)
        upload = await accepted_upload(data.file, settings.upload_max_bytes)
        store = FileStore(settings.upload_dir)
        stored = store.save(
            f"meetings/{row.id}", upload.content, upload.content_type, upload.suffix
        )
        write.undo.append(lambda: store.delete(stored.stored_as))
        document = await insert_meeting_document(
            conn,
            meeting_id=row.id,
            filename=upload.filename,
            stored=stored,
            uploaded_by_id=write.actor.id,
            now=write.now,
        )
        await meetings.MACHINE.record(
            conn,
            subject_id=row.id,
            actor=write.actor,
            at=write.now,
            action=meetings.DOCUMENT,
            from_status=status.value,
            to_status=status.value,
            comment=upload.filename,
        )
        return EvidencePayload(evidence=Evidence.from_row(document))
