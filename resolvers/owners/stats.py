"""Owners' figures for the drill-down (SPEC 3.2 item 7), per node, counted in SQL.

For each District, Street, Community or Project (or the viewer's whole scope):
the verified-owner rate, meetings held (voting over, not cancelled), turnout
(units that voted / eligible units, over the meetings held) and topics
passed. Every statement carries the viewer's scope predicates; a topic's
pass is decided by its rule (workflows/counting.py) on the grouped sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, func, literal, select
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import (
    Meeting,
    MeetingStatus,
    Owner,
    OwnerVerification,
    Topic,
    Unit,
    UnitOwner,
    Vote,
    VoteChoice,
    VotingRule,
)
from propgraph.models.base import ScaledDecimal
from propgraph.resolvers.sql import ids_in
from propgraph.workflows.counting import Count, Tally, passes

AREA = ScaledDecimal(2)
CITY = 0  # the key of the viewer's whole scope


@dataclass(frozen=True)
class OwnerFigures:
    owners: int = 0
    verified_owners: int = 0
    meetings_held: int = 0
    eligible_units: int = 0  # summed over the meetings held
    voted_units: int = 0
    topics: int = 0
    topics_passed: int = 0


def _key(model: Any, level: str | None) -> ColumnElement[Any]:
    return literal(CITY, Integer) if level is None else getattr(model, f"{level}_id")


def _held(viewer: Viewer, now: datetime) -> Any:
    return and_(
        viewer.scope.meetings(),
        Meeting.status != MeetingStatus.CANCELLED,
        Meeting.voting_ends_at <= now,
    )


async def load_owner_figures(
    db: RequestDB, viewer: Viewer, level: str | None, ids: Sequence[int], now: datetime
) -> list[OwnerFigures]:
    def where_node(column: ColumnElement[Any]) -> Any:
        return ids_in(column, ids, db.dialect) if level is not None else literal(True)

    def by(key: ColumnElement[Any]) -> list[ColumnElement[Any]]:
        return [key] if level is not None else []  # the whole scope: one row, no GROUP BY

    key_uo = _key(UnitOwner, level)
    owners = await db.all(
        select(
            key_uo.label("key"),
            func.count(func.distinct(UnitOwner.owner_id)).label("owners"),
            func.count(
                func.distinct(
                    case((Owner.verification != OwnerVerification.UNVERIFIED, UnitOwner.owner_id))
                )
            ).label("verified"),
        )
        .select_from(UnitOwner)
        .join(Owner, Owner.id == UnitOwner.owner_id)
        .where(viewer.scope.unit_owners(), where_node(key_uo))
        .group_by(*by(key_uo))
    )
    key_m = _key(Meeting, level)
    held = _held(viewer, now)
    eligible = (
        select(
            Unit.project_id,
            func.count().label("units"),
            func.sum(Unit.floor_area, type_=AREA).label("area"),
        )
        .group_by(Unit.project_id)
        .subquery()
    )
    meetings = await db.all(
        select(
            key_m.label("key"),
            func.count().label("held"),
            func.coalesce(func.sum(eligible.c.units), 0).label("eligible"),
        )
        .select_from(Meeting)
        .join(eligible, eligible.c.project_id == Meeting.project_id)
        .where(held, where_node(key_m))
        .group_by(*by(key_m))
    )
    pairs = (
        select(key_m.label("key"), Vote.meeting_id, Vote.unit_id)
        .select_from(Vote)
        .join(Meeting, Meeting.id == Vote.meeting_id)
        .where(held, where_node(key_m))
        .distinct()
        .subquery()
    )
    pair_key = pairs.c.key if level is not None else func.min(pairs.c.key)
    voted = await db.all(
        select(pair_key.label("key"), func.count().label("n")).group_by(*by(pairs.c.key))
    )
    tallies = await db.all(
        select(
            key_m.label("key"),
            Topic.id.label("topic"),
            Topic.rule,
            eligible.c.units.label("eligible_units"),
            eligible.c.area.label("eligible_area"),
            Vote.choice,
            func.count(Vote.id).label("units"),
            func.sum(Unit.floor_area, type_=AREA).label("area"),
        )
        .select_from(Topic)
        .join(Meeting, Meeting.id == Topic.meeting_id)
        .join(eligible, eligible.c.project_id == Meeting.project_id)
        .outerjoin(Vote, Vote.topic_id == Topic.id)
        .outerjoin(Unit, and_(Unit.id == Vote.unit_id, Unit.project_id == Meeting.project_id))
        .where(held, where_node(key_m))
        .group_by(*by(key_m), Topic.id, Topic.rule, eligible.c.units, eligible.c.area, Vote.choice)
    )
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in owners:
        figures[row.key]["owners"] = row.owners
        figures[row.key]["verified_owners"] = row.verified
    for row in meetings:
        figures[row.key]["meetings_held"] = row.held
        figures[row.key]["eligible_units"] = int(row.eligible)
    for row in voted:
        figures[row.key]["voted_units"] = row.n
    for key, passed, total in _topics(tallies):
        figures[key]["topics"] += total
        figures[key]["topics_passed"] += passed
    wanted = ids if level is not None else [CITY]
    return [OwnerFigures(**figures.get(pk, {})) for pk in wanted]


def _topics(rows: Sequence[Any]) -> list[tuple[int, int, int]]:
    """(node key, topics passed, topics) from the grouped tallies."""
    by_topic: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_topic.setdefault(
            row.topic,
            {
                "key": row.key,
                "rule": VotingRule(row.rule),
                "eligible": Tally(row.eligible_units, Fraction(row.eligible_area or 0)),
                "choices": {},
            },
        )
        if row.choice is not None:
            entry["choices"][VoteChoice(row.choice)] = Tally(row.units, Fraction(row.area or 0))
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    none = Tally(0, Fraction(0))
    for entry in by_topic.values():
        choices = entry["choices"]
        agree = choices.get(VoteChoice.AGREE, none)
        disagree = choices.get(VoteChoice.DISAGREE, none)
        abstain = choices.get(VoteChoice.ABSTAIN, none)
        count = Count(
            eligible=entry["eligible"],
            participating=Tally(
                agree.units + disagree.units + abstain.units,
                agree.area + disagree.area + abstain.area,
            ),
            agree=agree,
            disagree=disagree,
            abstain=abstain,
        )
        counted[entry["key"]][0] += passes(entry["rule"], count)
        counted[entry["key"]][1] += 1
    return [(key, passed, total) for key, (passed, total) in counted.items()]


class OwnerFiguresByNodeLoader(DataLoader[int, OwnerFigures]):
    def __init__(self, db: RequestDB, viewer: Viewer, level: str | None, now: datetime) -> None:
        async def load(ids: list[int]) -> list[OwnerFigures]:
            return await load_owner_figures(db, viewer, level, ids, now)

        super().__init__(load_fn=load)
