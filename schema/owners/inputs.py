"""Inputs of the owners area (names fixed by CONTRACT.md)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.file_uploads import Upload

from propgraph.schema.graph.enums import OwnerVerification
from propgraph.schema.owners.enums import VoteChoice, VotingRule
from propgraph.schema.text import CheckedInput


@strawberry.input(description="Record how an owner's identity was checked (community, street).")
class VerifyOwnerInput(CheckedInput):
    owner_id: strawberry.ID
    verification: OwnerVerification = strawberry.field(description="FACE, OFFLINE or UNVERIFIED.")


@strawberry.input(description="Delegate all your units in one project to a person, for a period.")
class CreateDelegationInput(CheckedInput):
    project_id: strawberry.ID
    delegate_name: str = strawberry.field(description="The delegate's name.")
    delegate_phone: str = strawberry.field(description="The delegate's mobile number.")
    starts_on: date = strawberry.field(description="First day (today or later).")
    ends_on: date = strawberry.field(description="Last day.")


@strawberry.input(description="Revoke one of your delegations; it ends at once.")
class RevokeDelegationInput(CheckedInput):
    id: strawberry.ID


@strawberry.input(description="Name the voter of a unit you own with others.")
class NominateVoterInput(CheckedInput):
    unit_id: strawberry.ID
    nominee_id: strawberry.ID = strawberry.field(description="An owner of the same unit.")


@strawberry.input(description="One question put to the vote.")
class TopicInput(CheckedInput):
    title: str = strawberry.field(description="The question.")
    rule: VotingRule = strawberry.field(description="How it passes.")


@strawberry.input(description="Open an owners' meeting of a project (its street or community).")
class OpenMeetingInput(CheckedInput):
    project_id: strawberry.ID
    title: str = strawberry.field(description="Title.")
    publicity_starts_on: date = strawberry.field(description="First day of the publicity.")
    voting_starts_at: datetime = strawberry.field(description="Voting opens (with offset).")
    voting_ends_at: datetime = strawberry.field(description="Voting closes (with offset).")
    topics: list[TopicInput] = strawberry.field(description="1 to 20 questions.")


@strawberry.input(description="Cancel a meeting before its voting starts (the opening office).")
class CancelMeetingInput(CheckedInput):
    id: strawberry.ID
    reason: str = strawberry.field(description="Why; sent to the owners.")


@strawberry.input(description="A document published with a meeting (会议材料).")
class UploadMeetingDocumentInput(CheckedInput):
    meeting_id: strawberry.ID
    file: Upload = strawberry.field(description="PDF, JPEG or PNG.")


@strawberry.input(description="Vote on a topic for a unit you vote for; final once cast.")
class CastVoteInput(CheckedInput):
    topic_id: strawberry.ID
    unit_id: strawberry.ID
    choice: VoteChoice


@strawberry.input(description="Stars for one item.")
class RatingInput(CheckedInput):
    item: str = strawberry.field(
        description="SERVICE_ATTITUDE, CLEANING, SECURITY, MAINTENANCE or GREENING."
    )
    stars: int = strawberry.field(description="1 to 5.")


@strawberry.input(description="Rate your project's property service this year (all five items).")
class RateProjectInput(CheckedInput):
    project_id: strawberry.ID
    stars: list[RatingInput] = strawberry.field(description="Each of the five items once.")
