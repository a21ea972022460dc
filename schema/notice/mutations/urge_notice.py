"""urgeNotice (the publishing office): re-notify exactly the unread, by WECHAT and SMS."""

from __future__ import annotations

from propgraph.resolvers.notice.writes import published_notice
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.notice.inputs import NoticeIdInput
from propgraph.schema.notice.payloads import NoticePayload
from propgraph.schema.notice.types import Notice
from propgraph.workflows import notice
from propgraph.workflows.errors import invalid_state


class UrgeNotice(BaseMutation):
    name = "urgeNotice"
    description = "催办: re-notify the recipients who have not read your office's notice."
    input_type = NoticeIdInput
    payload_type = NoticePayload

    @classmethod
    async def perform(cls, write: Write, data: NoticeIdInput) -> NoticePayload:
        conn, actor = write.conn, write.actor
        row = await published_notice(conn, write.viewer, pk_of(data.id, notice.SUBJECT))
        unread = await notice.unread(conn, row.id)
        if not unread:
            raise invalid_state("Every recipient has read this notice; there is no one to urge.")
        updated = await notice.MACHINE.apply(
            conn,
            action=notice.URGE,
            row=row,
            version=row.version,
            actor=actor,
            now=write.now,
            values={"urged_at": write.now},
            facts={"unread": len(unread)},
        )
        await notice.urge(conn, row, unread, actor.username, write.now)
        return NoticePayload(notice=Notice.from_row(updated))
