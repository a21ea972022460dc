"""uploadEvidence (MANAGER): a supporting document, via the GraphQL multipart spec."""

from __future__ import annotations

from pathlib import PurePath

from sqlalchemy import insert

from propgraph.models import Evidence
from propgraph.resolvers.subsidy.kinds import EVIDENCE
from propgraph.resolvers.subsidy.writes import visible_application
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.subsidy.inputs import UploadEvidenceInput
from propgraph.schema.subsidy.payloads import EvidencePayload
from propgraph.schema.subsidy.types import Evidence as EvidenceType
from propgraph.storage import FileStore, sniff
from propgraph.workflows import subsidy
from propgraph.workflows.errors import invalid, invalid_state
from propgraph.workflows.subsidy import SUBJECT, SUBMITTABLE


def display_name(raw: str | None) -> str:
    """The user's filename without any folder part, at most 255 characters.

    Only printable characters are kept: no NUL (PostgreSQL refuses it), no
    lone surrogate (no driver can encode it), no control characters.
    """
    name = PurePath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "upload")[:255]


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
        upload = data.file
        if not hasattr(upload, "read"):
            raise invalid("file", "Send the file as a multipart upload.")
        content = await upload.read(settings.upload_max_bytes + 1)
        if not content:
            raise invalid("file", "The file is empty.")
        if len(content) > settings.upload_max_bytes:
            limit = settings.upload_max_bytes // (1024 * 1024)
            raise invalid("file", f"The file is larger than {limit} MB.")
        sniffed = sniff(content)
        if sniffed is None:
            raise invalid("file", "Only PDF, JPEG and PNG files are accepted.")
        store = FileStore(settings.upload_dir)
        stored = store.save(str(app.id), content, *sniffed)
        write.undo.append(lambda: store.delete(stored.stored_as))
        pk = (
            await write.conn.execute(
                insert(Evidence)
                .values(
                    application_id=app.id,
                    kind=data.kind,
                    filename=display_name(getattr(upload, "filename", None)),
                    content_type=stored.content_type,
                    size=stored.size,
                    sha256=stored.sha256,
                    stored_as=stored.stored_as,
                    uploaded_by_id=write.actor.id,
                    created_at=write.now,
                )
                .returning(Evidence.id)
            )
        ).scalar_one()
        await subsidy.MACHINE.record(
            write.conn,
            subject_id=app.id,
            actor=write.actor,
            at=write.now,
            action=subsidy.EVIDENCE,
            from_status=app.status,
            to_status=app.status,
            comment=f"{data.kind.value}: {display_name(getattr(upload, 'filename', None))}",
        )
        row = (await write.conn.execute(EVIDENCE.columns().where(Evidence.id == pk))).one()
        return EvidencePayload(evidence=EvidenceType.from_row(row))
