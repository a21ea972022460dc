"""markNoticeRead (a recipient): the read receipt, and its to-do done."""

from __future__ import annotations

from propgraph.resolvers.notice.writes import addressed_notice
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.notice.inputs import NoticeIdInput
from propgraph.schema.notice.payloads import NoticePayload
from propgraph.schema.notice.types import Notice
from propgraph.workflows import notice


class MarkNoticeRead(BaseMutation):
    name = "markNoticeRead"
    description = "Mark a notice addressed to you as read (marking it again changes nothing)."
    input_type = NoticeIdInput
    payload_type = NoticePayload

    @classmethod
    async def perform(cls, write: Write, data: NoticeIdInput) -> NoticePayload:
        conn, actor = write.conn, write.actor
        # not addressed to you: as if it did not exist
        row = await addressed_notice(conn, actor.id, pk_of(data.id, notice.SUBJECT))
        await notice.mark_read(conn, row.id, actor, write.now)
        return NoticePayload(notice=Notice.from_row(row))
