"""cancelMeeting (the opening office, before voting starts)."""

from __future__ import annotations

from propgraph.resolvers.owners.kinds import MEETING, MeetingRow
from propgraph.resolvers.owners.writes import project_name, visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import CancelMeetingInput
from propgraph.schema.owners.payloads import MeetingPayload
from propgraph.schema.owners.types import Meeting
from propgraph.workflows import meetings
from propgraph.workflows.errors import invalid


class CancelMeeting(BaseMutation):
    name = "cancelMeeting"
    description = "Cancel a meeting you opened, before its voting starts; the owners are told why."
    input_type = CancelMeetingInput
    payload_type = MeetingPayload

    @classmethod
    async def perform(cls, write: Write, data: CancelMeetingInput) -> MeetingPayload:
        conn, actor = write.conn, write.actor
        row: MeetingRow = await visible(
            conn, write.viewer, MEETING, pk_of(data.id, "Meeting"), "meeting"
        )
        meetings.check_cancel(row, actor, write.now)
        reason = (data.reason or "").strip()
        if not reason:
            raise invalid("reason", "Say why the meeting is cancelled.")
        name = await project_name(conn, row.project_id)
        assert name is not None  # meetings.project_id references projects (NOT NULL)
        row = await meetings.apply(
            conn,
            action=meetings.CANCEL,
            meeting=row,
            project_name=name,
            actor=actor,
            now=write.now,
            values={"cancel_reason": reason},
            comment=reason,
        )
        return MeetingPayload(meeting=Meeting.from_row(row))
