"""markNoticeRead (a recipient): the read receipt, and its to-do done."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import Notice as NoticeRow
from propgraph.models import NoticeRecipient
from propgraph.resolvers.notice.kinds import NOTICE
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.notice.inputs import NoticeIdInput
from propgraph.schema.notice.payloads import NoticePayload
from propgraph.schema.notice.types import Notice
from propgraph.workflows import notice
from propgraph.workflows.errors import not_found


class MarkNoticeRead(BaseMutation):
    name = "markNoticeRead"
    description = "Mark a notice addressed to you as read (marking it again changes nothing)."
    input_type = NoticeIdInput
    payload_type = NoticePayload

    @classmethod
    async def perform(cls, write: Write, data: NoticeIdInput) -> NoticePayload:
        conn, actor = write.conn, write.actor
        pk = pk_of(data.id, notice.SUBJECT)
        row = None
        if pk is not None:
            row = (
                await conn.execute(
                    NOTICE.columns().where(
                        NoticeRow.id == pk,
                        NoticeRow.id.in_(
                            select(NoticeRecipient.notice_id).where(
                                NoticeRecipient.account_id == actor.id
                            )
                        ),
                    )
                )
            ).first()
        if row is None:  # not addressed to you: as if it did not exist
            raise not_found("notice")
        await notice.mark_read(conn, row.id, actor, write.now)
        return NoticePayload(notice=Notice.from_row(row))
