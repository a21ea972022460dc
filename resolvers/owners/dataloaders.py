"""Per-request loaders of the owners area; each batch is one scoped statement."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import (
    Delegation,
    Evidence,
    Meeting,
    Topic,
    Unit,
    Vote,
    VoteChoice,
    VoterNomination,
)
from propgraph.models.base import ScaledDecimal
from propgraph.resolvers.owners.kinds import (
    DELEGATION,
    MEETING,
    TOPIC,
    DelegationRow,
    MeetingRow,
    TopicRow,
)
from propgraph.resolvers.sql import group_rows, ids_in
from propgraph.resolvers.subsidy.kinds import EVIDENCE
from propgraph.workflows.counting import Count, Tally
from propgraph.workflows.voters import latest_nominations, voters_of_units

AREA = ScaledDecimal(2)


class MeetingsByProjectLoader(DataLoader[int, list[MeetingRow]]):
    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(project_ids: list[int]) -> list[list[MeetingRow]]:
            rows = await db.all(
                MEETING.scoped(viewer)
                .where(ids_in(Meeting.project_id, project_ids, db.dialect))
                .order_by(Meeting.project_id, Meeting.voting_starts_at.desc(), Meeting.id.desc())
            )
            return group_rows(rows, "project_id", project_ids)

        super().__init__(load_fn=load)


class TopicsByMeetingLoader(DataLoader[int, list[TopicRow]]):
    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(meeting_ids: list[int]) -> list[list[TopicRow]]:
            rows = await db.all(
                TOPIC.scoped(viewer)
                .where(ids_in(Topic.meeting_id, meeting_ids, db.dialect))
                .order_by(Topic.meeting_id, Topic.position)
            )
            return group_rows(rows, "meeting_id", meeting_ids)

        super().__init__(load_fn=load)


class DocumentsByMeetingLoader(DataLoader[int, list[Any]]):
    """A meeting's documents (会议材料), oldest first (the parent was already scoped)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(meeting_ids: list[int]) -> list[list[Any]]:
            rows = await db.all(
                EVIDENCE.scoped(viewer)
                .where(ids_in(Evidence.meeting_id, meeting_ids, db.dialect))
                .order_by(Evidence.meeting_id, Evidence.id)
            )
            return group_rows(rows, "meeting_id", meeting_ids)

        super().__init__(load_fn=load)


class MyVotesByTopicLoader(DataLoader[int, list[Any]]):
    """The viewer's own votes (or, for a delegate, those cast for its owner)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(topic_ids: list[int]) -> list[list[Any]]:
            rows = await db.all(
                select(
                    Vote.topic_id,
                    Vote.unit_id,
                    Vote.choice,
                    Vote.cast_at,
                    Vote.by_delegate,
                )
                .where(ids_in(Vote.topic_id, topic_ids, db.dialect), viewer.scope.votes())
                .order_by(Vote.topic_id, Vote.unit_id)
            )
            return group_rows(rows, "topic_id", topic_ids)

        super().__init__(load_fn=load)


class CountByTopicLoader(DataLoader[tuple[int, int], Count]):
    """Tallies of topics, keyed (topic id, project id), counted in SQL.

    Eligible: every unit of the project; each vote counts its unit once, and
    only units of the project (the unique constraint keeps one per unit).
    Callers decide whether the viewer may see the totals at all.
    """

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(keys: list[tuple[int, int]]) -> list[Count]:
            project_ids = {project for _, project in keys}
            topic_ids = [topic for topic, _ in keys]
            eligible = {
                row.project_id: Tally(row.units, Fraction(row.area or 0))
                for row in await db.all(
                    select(
                        Unit.project_id,
                        func.count().label("units"),
                        func.sum(Unit.floor_area, type_=AREA).label("area"),
                    )
                    .where(ids_in(Unit.project_id, project_ids, db.dialect))
                    .group_by(Unit.project_id)
                )
            }
            tallies: dict[int, dict[VoteChoice, Tally]] = defaultdict(dict)
            rows = await db.all(
                select(
                    Vote.topic_id,
                    Vote.choice,
                    func.count().label("units"),
                    func.sum(Unit.floor_area, type_=AREA).label("area"),
                )
                .join(Unit, Unit.id == Vote.unit_id)
                .join(Meeting, Meeting.id == Vote.meeting_id)
                .where(
                    ids_in(Vote.topic_id, topic_ids, db.dialect),
                    Unit.project_id == Meeting.project_id,
                )
                .group_by(Vote.topic_id, Vote.choice)
            )
            for row in rows:
                tallies[row.topic_id][VoteChoice(row.choice)] = Tally(
                    row.units, Fraction(row.area or Decimal(0))
                )
            counts = []
            for topic, project in keys:
                by = tallies[topic]
                none = Tally(0, Fraction(0))
                agree = by.get(VoteChoice.AGREE, none)
                disagree = by.get(VoteChoice.DISAGREE, none)
                abstain = by.get(VoteChoice.ABSTAIN, none)
                counts.append(
                    Count(
                        eligible=eligible.get(project, none),
                        participating=Tally(
                            agree.units + disagree.units + abstain.units,
                            agree.area + disagree.area + abstain.area,
                        ),
                        agree=agree,
                        disagree=disagree,
                        abstain=abstain,
                    )
                )
            return counts

        super().__init__(load_fn=load)


class NominationsByUnitLoader(DataLoader[int, list[Any]]):
    """Each visible owner's current nomination for each unit (owners and offices)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(unit_ids: list[int]) -> list[list[Any]]:
            current = latest_nominations(unit_ids).subquery()
            rows = await db.all(
                select(current).where(
                    current.c.unit_id.in_(
                        select(VoterNomination.unit_id).where(viewer.scope.voter_nominations())
                    )
                )
            )
            return group_rows(sorted(rows, key=lambda r: (r.unit_id, r.at)), "unit_id", unit_ids)

        super().__init__(load_fn=load)


class VoterByUnitLoader(DataLoader[int, int | None]):
    """The effective voter (owner id) of each unit for the next meeting."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(unit_ids: list[int]) -> list[int | None]:
            voters = await voters_of_units(db, unit_ids)
            return [voters.get(u) for u in unit_ids]

        super().__init__(load_fn=load)


class DelegationsByOwnerLoader(DataLoader[int, list[DelegationRow]]):
    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        async def load(owner_ids: list[int]) -> list[list[DelegationRow]]:
            rows = await db.all(
                DELEGATION.scoped(viewer)
                .where(ids_in(Delegation.owner_id, owner_ids, db.dialect))
                .order_by(Delegation.owner_id, Delegation.id)
            )
            return group_rows(rows, "owner_id", owner_ids)

        super().__init__(load_fn=load)
