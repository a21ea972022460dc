"""fileTender (ENTERPRISE or MANAGER of the project): file, or refile a rejected filing."""

from __future__ import annotations

from propgraph.clock import local_date
from propgraph.resolvers.office.writes import insert_filing, visible_filing, visible_project
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.office.inputs import FileTenderInput
from propgraph.schema.office.payloads import TenderFilingPayload
from propgraph.schema.office.types import TenderFiling as TenderFilingType
from propgraph.workflows import tender
from propgraph.workflows.errors import invalid, invalid_state


class FileTender(BaseMutation):
    name = "fileTender"
    description = (
        "File a tender document for a project (its enterprise or manager); with `id` and "
        "`version`, file a rejected one again."
    )
    input_type = FileTenderInput
    payload_type = TenderFilingPayload

    @classmethod
    async def perform(cls, write: Write, data: FileTenderInput) -> TenderFilingPayload:
        conn, actor = write.conn, write.actor
        project = await visible_project(conn, write.viewer, pk_of(data.project_id, "Project"))
        title = tender.parse_text(data.title, "title", required=True, limit=200)
        if project.enterprise_id is None:
            raise invalid_state("The project has no managing enterprise to file for it.")
        filed = {
            "title": title,
            "filed_at": write.now,
            "filed_on": local_date(write.now),
            "proposal": None,
            "remark": None,
            "decision_comment": None,
            "decided_on": None,
            "working_days": None,
        }
        if data.id is not None:
            old = await visible_filing(conn, write.viewer, pk_of(data.id, tender.SUBJECT))
            if old.project_id != project.id:
                raise invalid("id", "This filing belongs to another project.")
            if data.version is None:
                raise invalid("version", "Refiling needs the version you read.")
            row = await tender.MACHINE.apply(
                conn,
                action=tender.REFILE,
                row=old,
                version=data.version,
                actor=actor,
                now=write.now,
                values=filed,
            )
            return TenderFilingPayload(filing=TenderFilingType.from_row(row))
        tender.MACHINE.check(tender.FILE, row=None, actor=actor, version=None)
        row = await insert_filing(conn, project=project, filed=filed, now=write.now)
        await tender.MACHINE.apply(
            conn, action=tender.FILE, row=row, actor=actor, now=write.now, reread=False
        )
        return TenderFilingPayload(filing=TenderFilingType.from_row(row))
