"""publishNotice (any office): to every MANAGER account in its subtree."""

from __future__ import annotations

from propgraph.resolvers.notice.writes import insert_notice
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.notice.inputs import PublishNoticeInput
from propgraph.schema.notice.payloads import NoticePayload
from propgraph.schema.notice.types import Notice
from propgraph.workflows import notice


class PublishNotice(BaseMutation):
    name = "publishNotice"
    description = (
        "Publish a notice to every project manager in your office's subtree (WECHAT); "
        "each manager gets a to-do to read it."
    )
    input_type = PublishNoticeInput
    payload_type = NoticePayload

    @classmethod
    async def perform(cls, write: Write, data: PublishNoticeInput) -> NoticePayload:
        conn, actor = write.conn, write.actor
        notice.MACHINE.check(notice.PUBLISH, row=None, actor=actor, version=None)
        title = notice.parse_text(data.title, "title", 200)
        body = notice.parse_text(data.body, "body", 10_000)
        managers = await notice.managers_below(conn, write.viewer.scope)
        row = await insert_notice(
            conn, title=title, body=body, status=notice.PUBLISHED, publisher=actor, now=write.now
        )
        await notice.address(conn, row, managers, actor.username, write.now)
        await notice.MACHINE.apply(
            conn,
            action=notice.PUBLISH,
            row=row,
            actor=actor,
            now=write.now,
            facts={"recipients": len(managers)},
            reread=False,
        )
        return NoticePayload(notice=Notice.from_row(row))
