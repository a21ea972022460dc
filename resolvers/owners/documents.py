"""A meeting's documents (会议材料): rows of ``subsidy_evidence`` with ``meeting_id`` set."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.models import Evidence, EvidenceKind
from propgraph.resolvers.subsidy.kinds import EVIDENCE
from propgraph.storage import StoredFile


async def insert_meeting_document(
    conn: AsyncConnection,
    *,
    meeting_id: int,
    filename: str,
    stored: StoredFile,
    uploaded_by_id: int,
    now: datetime,
) -> Any:
    """The new document's row, as ``EVIDENCE`` selects it."""
    evidence_id = await conn.scalar(
        insert(Evidence)
        .values(
            meeting_id=meeting_id,
            kind=EvidenceKind.OTHER,
            filename=filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            stored_as=stored.stored_as,
            uploaded_by_id=uploaded_by_id,
            created_at=now,
        )
        .returning(Evidence.id)
    )
    return (await conn.execute(EVIDENCE.columns().where(Evidence.id == evidence_id))).one()
