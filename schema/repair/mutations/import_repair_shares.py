"""importRepairShares (the project's enterprise or manager, a draft): 导入分摊, multipart."""

from __future__ import annotations

from propgraph import share_sheet
from propgraph.resolvers.repair.writes import short_shares, visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import ImportRepairSharesInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject, RepairShare
from propgraph.storage import display_name, upload_bytes
from propgraph.workflows import repair
from propgraph.workflows.repair import parse_stages
from propgraph.workflows.repair_import import ImportedShare, import_shares


class ImportRepairShares(BaseMutation):
    name = "importRepairShares"
    description = (
        "Take back a draft's shares as edited in its exported sheet (导入分摊, a multipart "
        "upload): every sharing unit once, amounts to the fen; the budget becomes their sum, "
        "and the plan must still add up to it (give new stages, or keep a plan that fits). "
        "A malformed sheet is refused and changes nothing (enterprise or project manager)."
    )
    input_type = ImportRepairSharesInput
    payload_type = RepairProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: ImportRepairSharesInput) -> RepairProjectPayload:
        conn = write.conn
        row = await visible_repair(conn, write.viewer, pk_of(data.id, "RepairProject"))
        # The project's stage, the version and the role first: no sheet is read in vain.
        repair.MACHINE.check(repair.IMPORT_SHARES, row=row, actor=write.actor, version=data.version)
        stages = None if data.stages is None else parse_stages(data.stages)
        limit = min(write.context.services.settings.upload_max_bytes, share_sheet.MAX_BYTES)
        content = await upload_bytes(data.file, limit)
        sheet = share_sheet.read_shares(content, max_bytes=limit)
        updated = await import_shares(
            conn,
            row=row,
            actor=write.actor,
            now=write.now,
            version=data.version,
            rows=[
                ImportedShare(s.row, pk_of(s.unit_id, "Unit"), s.unit_id, s.amount) for s in sheet
            ],
            stages=stages,
            filename=display_name(getattr(data.file, "filename", None)),
        )
        return RepairProjectPayload(
            repair_project=RepairProject.from_row(updated),
            shortfalls=[RepairShare.from_row(r) for r in await short_shares(conn, row.id)],
        )
