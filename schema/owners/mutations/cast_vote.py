"""castVote (the unit's effective voter, verified; or the owner's active delegate)."""

from __future__ import annotations

from propgraph.clock import local_date
from propgraph.models import MeetingStatus, OwnerVerification, VoteChoice
from propgraph.resolvers.graph.kinds import UNIT
from propgraph.resolvers.owners import writes
from propgraph.resolvers.owners.kinds import MEETING, TOPIC
from propgraph.resolvers.owners.writes import active_delegation, visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import CastVoteInput
from propgraph.schema.owners.payloads import VotePayload
from propgraph.schema.owners.types import Vote
from propgraph.workflows.errors import duplicate, forbidden, invalid, invalid_state
from propgraph.workflows.meetings import close_voter_todo, meeting_status
from propgraph.workflows.voters import voters_of_units

VERIFIED = (OwnerVerification.FACE, OwnerVerification.OFFLINE)
ALREADY = "This unit has already voted on this topic; a vote is final."


class CastVote(BaseMutation):
    name = "castVote"
    description = (
        "Vote on a topic for a unit: by the unit's voter (verified) or the owner's delegate; "
        "inside the voting period, once per unit, final."
    )
    input_type = CastVoteInput
    payload_type = VotePayload

    @classmethod
    async def perform(cls, write: Write, data: CastVoteInput) -> VotePayload:
        conn, actor, viewer = write.conn, write.actor, write.viewer
        topic = await visible(
            conn, viewer, TOPIC, pk_of(data.topic_id, "Topic"), "topic", "topicId"
        )
        meeting = await visible(conn, viewer, MEETING, topic.meeting_id, "topic", "topicId")
        unit = await visible(conn, viewer, UNIT, pk_of(data.unit_id, "Unit"), "unit", "unitId")
        unit_project = await writes.project_of_unit(conn, unit.id)
        if unit_project != meeting.project_id:
            raise invalid("unitId", "This unit is not in the meeting's project.")
        if meeting_status(meeting, write.now) != MeetingStatus.VOTING:
            raise invalid_state(
                f"Votes are taken from {meeting.voting_starts_at} to {meeting.voting_ends_at}."
            )
        by_delegate = viewer.delegation is not None
        owner_id = viewer.delegation[0] if viewer.delegation else actor.owner_id
        assert owner_id is not None
        if not by_delegate and await active_delegation(
            conn, owner_id, meeting.project_id, local_date(write.now)
        ):
            raise invalid_state(
                "Your delegation in this project is in force: your delegate votes for you."
            )
        verification = await writes.verification_of(conn, owner_id)
        if verification not in VERIFIED:
            raise forbidden("Only verified owners vote; ask your community office to verify you.")
        voters = await voters_of_units(conn, [unit.id], before=meeting.voting_starts_at)
        if voters.get(unit.id) != owner_id:
            raise forbidden(
                "You are not this unit's voter for this meeting: its owners had not all "
                "nominated you when voting opened."
            )
        if await writes.has_voted(conn, topic.id, unit.id):
            raise duplicate(ALREADY, "unitId")
        values = {
            "topic_id": topic.id,
            "meeting_id": meeting.id,
            "unit_id": unit.id,
            "owner_id": owner_id,
            "account_id": actor.id,
            "by_delegate": by_delegate,
            "choice": VoteChoice(data.choice),
            "cast_at": write.now,
        }
        if not await writes.insert_vote(conn, values):  # a racing vote for the same unit won
            raise duplicate(ALREADY, "unitId")
        await close_voter_todo(conn, meeting, owner_id, actor.id, write.now)
        return VotePayload(
            vote=Vote(
                unit_pk=unit.id, choice=values["choice"], cast_at=write.now, by_delegate=by_delegate
            )
        )
