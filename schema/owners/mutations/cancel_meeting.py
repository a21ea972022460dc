"""cancelMeeting (the opening office, before voting starts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from propgraph.models import Meeting as MeetingRow
from propgraph.models import MeetingStatus, Project
from propgraph.resolvers.owners.kinds import MEETING
from propgraph.resolvers.owners.writes import visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import CancelMeetingInput
from propgraph.schema.owners.payloads import MeetingPayload
from propgraph.schema.owners.types import Meeting
from propgraph.workflows import meetings
from propgraph.workflows.errors import invalid, invalid_state


class CancelMeeting(BaseMutation):
    name = "cancelMeeting"
    description = "Cancel a meeting you opened, before its voting starts; the owners are told why."
    input_type = CancelMeetingInput
    payload_type = MeetingPayload

    @classmethod
    async def perform(cls, write: Write, data: CancelMeetingInput) -> dict[str, Any]:
        conn, actor = write.conn, write.actor
        row = await visible(conn, write.viewer, MEETING, pk_of(data.id, "Meeting"), "meeting")
        meetings.check_actor("cancel", row, actor)
        meetings.check_from("cancel", row, write.now)
        reason = (data.reason or "").strip()
        if not reason:
            raise invalid("reason", "Say why the meeting is cancelled.")
        changed = await conn.execute(
            update(MeetingRow)
            .where(
                MeetingRow.id == row.id,
                MeetingRow.version == row.version,
                MeetingRow.status == MeetingStatus.PUBLICITY,
                MeetingRow.voting_starts_at > write.now,
            )
            .values(status=MeetingStatus.CANCELLED, cancel_reason=reason, version=row.version + 1)
        )
        if changed.rowcount != 1:
            raise invalid_state("The meeting changed meanwhile; reload it.")
        row = (await conn.execute(MEETING.columns().where(MeetingRow.id == row.id))).one()
        project_name = await conn.scalar(select(Project.name).where(Project.id == row.project_id))
        await meetings.apply(
            conn,
            name="cancel",
            meeting=row,
            project_name=project_name,
            actor=actor,
            now=write.now,
            comment=reason,
        )
        return {"meeting": Meeting.from_row(row)}
