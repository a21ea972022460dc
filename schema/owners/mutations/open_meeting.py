"""openMeeting (the STREET or COMMUNITY office of the project)."""

from __future__ import annotations

from datetime import timedelta

from propgraph.clock import local_date
from propgraph.models import Role, VotingRule
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.owners.writes import insert_meeting, visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import OpenMeetingInput
from propgraph.schema.owners.payloads import MeetingPayload
from propgraph.schema.owners.types import Meeting
from propgraph.workflows import meetings
from propgraph.workflows.errors import invalid

MAX_TOPICS = 20
MAX_AHEAD = timedelta(days=3660)


def _title(value: str, field: str) -> str:
    title = (value or "").strip()
    if not 1 <= len(title) <= 255:
        raise invalid(field, "A title of 1 to 255 characters is required.")
    return title


class OpenMeeting(BaseMutation):
    name = "openMeeting"
    description = (
        "Open an owners' meeting of a project in your scope: its topics with their rules, "
        "the publicity and the voting period; the owners are notified (WECHAT and SMS)."
    )
    input_type = OpenMeetingInput
    payload_type = MeetingPayload

    @classmethod
    async def perform(cls, write: Write, data: OpenMeetingInput) -> MeetingPayload:
        conn, actor = write.conn, write.actor
        meetings.MACHINE.check(meetings.OPEN, row=None, actor=actor, version=None)
        project = await visible(
            conn, write.viewer, PROJECT, pk_of(data.project_id, "Project"), "project", "projectId"
        )
        title = _title(data.title, "title")
        starts, ends = data.voting_starts_at, data.voting_ends_at
        if starts.tzinfo is None or ends.tzinfo is None:
            raise invalid("votingStartsAt", "Give the voting period with a UTC offset.")
        if max(starts, ends) - write.now > MAX_AHEAD:
            raise invalid("votingEndsAt", "A meeting is planned at most ten years ahead.")
        if starts <= write.now:
            raise invalid("votingStartsAt", "Voting must start in the future.")
        if ends <= starts:
            raise invalid("votingEndsAt", "Voting must end after it starts.")
        if not local_date(write.now) <= data.publicity_starts_on <= local_date(starts):
            raise invalid(
                "publicityStartsOn", "The publicity starts between today and the first voting day."
            )
        if not 1 <= len(data.topics) <= MAX_TOPICS:
            raise invalid("topics", f"A meeting has 1 to {MAX_TOPICS} topics.")
        topics = [
            (_title(t.title, f"topics.{i}.title"), VotingRule(t.rule))
            for i, t in enumerate(data.topics)
        ]
        scope_column = "street_id" if actor.role == Role.STREET else "community_id"
        row = await insert_meeting(
            conn,
            project_id=project.id,
            community_id=project.community_id,
            title=title,
            publicity_starts_on=data.publicity_starts_on,
            voting_starts_at=starts,
            voting_ends_at=ends,
            opened_by=actor,
            opened_by_scope_id=getattr(actor, scope_column),
            topics=topics,
            now=write.now,
        )
        row = await meetings.apply(
            conn,
            action=meetings.OPEN,
            meeting=row,
            project_name=project.name,
            actor=actor,
            now=write.now,
        )
        return MeetingPayload(meeting=Meeting.from_row(row))
