"""Types of the owners area: delegations, nominations, meetings, topics, votes, ratings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import strawberry

from propgraph.models import RATING_ITEMS
from propgraph.models import MeetingStatus as MeetingStatusValue
from propgraph.models import VotingRule as Rule
from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import OWNER, PROJECT, UNIT
from propgraph.resolvers.owners import dataloaders as owner_loaders
from propgraph.resolvers.owners.kinds import MEETING
from propgraph.resolvers.owners.ratings import CityRatings, ProjectRatingRow
from propgraph.schema.context import Info
from propgraph.schema.graph.types import Owner, Project, Unit
from propgraph.schema.owners.enums import MeetingStatus, VoteChoice, VotingRule
from propgraph.schema.relay import Node, to_global_id
from propgraph.schema.subsidy.types import Evidence
from propgraph.workflows.counting import Count, Tally, passes
from propgraph.workflows.meetings import is_opening_office, meeting_status

if TYPE_CHECKING:
    from propgraph.resolvers.owners.kinds import MeetingRow, TopicRow


def loader(info: Info, cls: Any, *params: Any) -> Any:
    """The request's loader of this class (and parameters)."""
    return info.context.loaders.get(cls, *params)


async def _node(info: Info, kind: Any, pk: int) -> Any:
    return await info.context.loaders.get(NodeByIdLoader, kind).load(pk)


@strawberry.type(description="委托: an owner's delegation of their units in one project.")
class Delegation(Node):
    pk: strawberry.Private[int]
    project_pk: strawberry.Private[int]
    owner_pk: strawberry.Private[int]
    owner_name: str = strawberry.field(description="The delegating owner.")
    project_name: str = strawberry.field(description="The project the delegation covers.")
    delegate_name: str = strawberry.field(description="The person acting for the owner.")
    delegate_phone: str = strawberry.field(description="The delegate's mobile number.")
    starts_on: date = strawberry.field(description="First day of the delegation.")
    ends_on: date = strawberry.field(description="Last day of the delegation.")
    revoked_at: datetime | None = strawberry.field(description="When the owner revoked it.")
    active: bool = strawberry.field(description="Whether it is in force today.")
    delegate_username: str | None = strawberry.field(
        description="The DELEGATE account the delegate signs in with (named for its phone)."
    )

    @classmethod
    def from_row(cls, row: Any, today: date | None = None) -> Delegation:
        active = row.revoked_at is None and (today is None or row.starts_on <= today <= row.ends_on)
        return cls(
            id=to_global_id("Delegation", row.id),
            pk=row.id,
            project_pk=row.project_id,
            owner_pk=row.owner_id,
            owner_name=row.owner_name,
            project_name=row.project_name,
            delegate_name=row.delegate_name,
            delegate_phone=row.delegate_phone,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            revoked_at=row.revoked_at,
            active=active,
            delegate_username=row.delegate_username,
        )

    @classmethod
    def at(cls, info: Info) -> Any:
        today = info.context.services.today()
        return lambda row: cls.from_row(row, today)

    @strawberry.field(description="The delegated project.")
    async def project(self, info: Info) -> Project:
        return Project.from_row(await _node(info, PROJECT, self.project_pk))

    @strawberry.field(description="The delegating owner.")
    async def owner(self, info: Info) -> Owner:
        return Owner.from_row(await _node(info, OWNER, self.owner_pk))


@strawberry.type(description="One owner's choice of the voter of a shared unit.")
class Nomination:
    owner_pk: strawberry.Private[int]
    nominee_pk: strawberry.Private[int]
    at: datetime = strawberry.field(description="When it was made.")

    @strawberry.field(description="The owner who nominated.")
    async def owner(self, info: Info) -> Owner:
        return Owner.from_row(await _node(info, OWNER, self.owner_pk))

    @strawberry.field(description="The owner it named as the unit's voter.")
    async def nominee(self, info: Info) -> Owner:
        return Owner.from_row(await _node(info, OWNER, self.nominee_pk))


@strawberry.type(description="A unit's vote: final once cast.")
class Vote:
    unit_pk: strawberry.Private[int]
    choice: VoteChoice = strawberry.field(description="同意, 不同意 or 弃权.")
    cast_at: datetime = strawberry.field(description="When it was cast.")
    by_delegate: bool = strawberry.field(description="Cast by the owner's delegate.")

    @classmethod
    def from_row(cls, row: Any) -> Vote:
        return cls(
            unit_pk=row.unit_id, choice=row.choice, cast_at=row.cast_at, by_delegate=row.by_delegate
        )

    @strawberry.field(description="The unit the vote counts for.")
    async def unit(self, info: Info) -> Unit:
        return Unit.from_row(await _node(info, UNIT, self.unit_pk))


@strawberry.type(description="Units and their floor area for one choice.")
class ChoiceTally:
    units: int = strawberry.field(description="Units (each counted once).")
    area: float = strawberry.field(description="Their floor area, m².")

    @classmethod
    def of(cls, tally: Tally) -> ChoiceTally:
        return cls(units=tally.units, area=float(tally.area))


@strawberry.type(description="A topic's count under its rule (exact; areas shown as m²).")
class TopicResult:
    rule: VotingRule = strawberry.field(description="The rule it was counted by.")
    passed: bool = strawberry.field(description="Whether it passes (so far, while voting).")
    eligible_units: int = strawberry.field(description="Every unit of the project.")
    eligible_area: float = strawberry.field(description="Their floor area, m².")
    participating_units: int = strawberry.field(description="Units that voted.")
    participating_area: float = strawberry.field(description="Their floor area, m².")
    agree: ChoiceTally = strawberry.field(description="同意.")
    disagree: ChoiceTally = strawberry.field(description="不同意.")
    abstain: ChoiceTally = strawberry.field(description="弃权.")

    @classmethod
    def of(cls, rule: Rule, count: Count) -> TopicResult:
        return cls(
            rule=rule,
            passed=passes(rule, count),
            eligible_units=count.eligible.units,
            eligible_area=float(count.eligible.area),
            participating_units=count.participating.units,
            participating_area=float(count.participating.area),
            agree=ChoiceTally.of(count.agree),
            disagree=ChoiceTally.of(count.disagree),
            abstain=ChoiceTally.of(count.abstain),
        )


@strawberry.type(description="A question put to an owners' meeting (议题).")
class Topic(Node):
    pk: strawberry.Private[int]
    meeting_pk: strawberry.Private[int]
    title: str = strawberry.field(description="The question.")
    rule: VotingRule = strawberry.field(description="How it passes.")

    @classmethod
    def from_row(cls, row: TopicRow) -> Topic:
        return cls(
            id=to_global_id("Topic", row.id),
            pk=row.id,
            meeting_pk=row.meeting_id,
            title=row.title,
            rule=row.rule,
        )

    @strawberry.field(description="The meeting it belongs to.")
    async def meeting(self, info: Info) -> Meeting:
        return Meeting.from_row(await _node(info, MEETING, self.meeting_pk))

    @strawberry.field(description="Your own votes on it (the units you vote for).")
    async def my_votes(self, info: Info) -> list[Vote]:
        load = loader(info, owner_loaders.MyVotesByTopicLoader)
        return [Vote.from_row(row) for row in await load.load(self.pk)]

    @strawberry.field(
        description="Totals under the rule: null until the meeting is CLOSED, except for "
        "the office that opened it, which sees them live; null if it was cancelled."
    )
    async def result(self, info: Info) -> TopicResult | None:
        meeting = await _node(info, MEETING, self.meeting_pk)
        if meeting is None:
            return None
        status = meeting_status(meeting, info.context.services.clock())
        viewer = info.context.viewer
        if status == MeetingStatusValue.CANCELLED:
            return None
        if status != MeetingStatusValue.CLOSED and not is_opening_office(
            meeting, viewer.role, viewer.account
        ):
            return None
        load = loader(info, owner_loaders.CountByTopicLoader)
        count = await load.load((self.pk, meeting.project_id))
        return TopicResult.of(Rule(self.rule), count)


@strawberry.type(description="业主大会: an owners' meeting of one project.")
class Meeting(Node):
    pk: strawberry.Private[int]
    project_pk: strawberry.Private[int]
    row: strawberry.Private[Any]
    title: str = strawberry.field(description="Title.")
    publicity_starts_on: date = strawberry.field(description="First day of the publicity (公示).")
    voting_starts_at: datetime = strawberry.field(description="Voting opens.")
    voting_ends_at: datetime = strawberry.field(description="Voting closes.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    version: int = strawberry.field(description="Optimistic-locking version.")

    @classmethod
    def from_row(cls, row: MeetingRow) -> Meeting:
        return cls(
            id=to_global_id("Meeting", row.id),
            pk=row.id,
            project_pk=row.project_id,
            row=row,
            title=row.title,
            publicity_starts_on=row.publicity_starts_on,
            voting_starts_at=row.voting_starts_at,
            voting_ends_at=row.voting_ends_at,
            cancel_reason=row.cancel_reason,
            version=row.version,
        )

    @strawberry.field(description="PUBLICITY, VOTING, CLOSED (by the clock) or CANCELLED.")
    def status(self, info: Info) -> MeetingStatus:
        return meeting_status(self.row, info.context.services.clock())

    @strawberry.field(description="The project whose owners meet.")
    async def project(self, info: Info) -> Project:
        return Project.from_row(await _node(info, PROJECT, self.project_pk))

    @strawberry.field(description="The questions put to the vote, in order.")
    async def topics(self, info: Info) -> list[Topic]:
        load = loader(info, owner_loaders.TopicsByMeetingLoader)
        return [Topic.from_row(row) for row in await load.load(self.pk)]

    @strawberry.field(
        description="会议材料: documents the opening office published with the meeting, "
        "oldest first; each downloads from its `url` by whoever sees the meeting."
    )
    async def documents(self, info: Info) -> list[Evidence]:
        load = loader(info, owner_loaders.DocumentsByMeetingLoader)
        return [Evidence.from_row(row) for row in await load.load(self.pk)]


@strawberry.type(description="Average stars of one rating item.")
class RatingItem:
    item: str = strawberry.field(
        description="SERVICE_ATTITUDE, CLEANING, SECURITY, MAINTENANCE or GREENING."
    )
    average: float = strawberry.field(description="Average stars (1–5).")
    count: int = strawberry.field(description="Ratings counted.")


@strawberry.type(description="A project's service rating this year (public).")
class ProjectRating:
    average: float = strawberry.field(description="Mean of the items' averages; 0 if unrated.")
    count: int = strawberry.field(description="Units that rated it this year.")
    items: list[RatingItem] = strawberry.field(description="Each item's average.")
    rank: int | None = strawberry.field(description="City rank, best first; null if unrated.")

    @classmethod
    def of(cls, row: ProjectRatingRow | None, rank: int | None) -> ProjectRating:
        if row is None:
            return cls(
                average=0.0,
                count=0,
                items=[RatingItem(item=i, average=0.0, count=0) for i in RATING_ITEMS],
                rank=None,
            )
        return cls(
            average=round(float(row.average), 4),
            count=row.count,
            items=[
                RatingItem(item=i, average=round(float(row.items[i]), 4), count=row.count)
                for i in RATING_ITEMS
            ],
            rank=rank,
        )


def city_ratings(info: Info) -> CityRatings:
    year = info.context.services.today().year
    ratings: CityRatings = loader(info, CityRatings, year)  # kept with the request's loaders
    return ratings
