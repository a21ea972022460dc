"""Owners' meetings (业主大会, SPEC 3.2): voter nominations, meetings, topics, votes."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, UTCDateTime
from propgraph.models.columns import ancestor, enum_type


class VoteChoice(enum.StrEnum):
    AGREE = "AGREE"
    DISAGREE = "DISAGREE"
    ABSTAIN = "ABSTAIN"


class VotingRule(enum.StrEnum):
    DOUBLE_TWO_THIRDS = "DOUBLE_TWO_THIRDS"  # seed 003: agreeing ≥ 2/3 of area and of units
    MAJOR = "MAJOR"  # Civil Code art. 278 ¶2, matters (6)–(8): ≥ 3/4 of participants
    ORDINARY = "ORDINARY"  # art. 278 ¶2, other matters: > 1/2 of participants


class MeetingStatus(enum.StrEnum):
    """Stored status; PUBLICITY becomes VOTING and then CLOSED by the clock (see
    workflows/meetings.py), so only openings and cancellations are written."""

    PUBLICITY = "PUBLICITY"
    VOTING = "VOTING"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class VoterNomination(Base):
    """One owner's choice of the voter of a shared unit; append-only history.

    The latest row per (unit, owner) is that owner's nomination; a meeting
    reads the rows made before its voting opened, so a change never reaches
    the meeting under way.
    """

    __tablename__ = "voter_nominations"
    __table_args__ = (Index("ix_voter_nominations_unit_owner", "unit_id", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    project_id: Mapped[int] = ancestor("projects")
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = ancestor("projects")
    community_id: Mapped[int] = ancestor("communities")
    street_id: Mapped[int] = ancestor("streets")
    district_id: Mapped[int] = ancestor("districts")
    title: Mapped[str] = mapped_column(String(255))
    publicity_starts_on: Mapped[date]
    voting_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[MeetingStatus] = mapped_column(enum_type(MeetingStatus, "meeting_status"))
    # The opening office: it alone sees the totals before the meeting closes.
    opened_by_role: Mapped[str] = mapped_column(String(16))
    opened_by_scope_id: Mapped[int] = mapped_column(Integer)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Topic(Base):
    __tablename__ = "meeting_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    rule: Mapped[VotingRule] = mapped_column(enum_type(VotingRule, "voting_rule"))


class Vote(Base):
    """One unit's vote on one topic: final once cast."""

    __tablename__ = "votes"
    __table_args__ = (
        # One vote per unit per topic, whoever casts it: of two racing casts the
        # database keeps exactly one (DUPLICATE for the other).
        UniqueConstraint("topic_id", "unit_id", name="uq_votes_topic_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("meeting_topics.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    # Who cast it; null for a paper ballot (纸质表决票) entered with the data import.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    by_delegate: Mapped[bool] = mapped_column(default=False)
    choice: Mapped[VoteChoice] = mapped_column(enum_type(VoteChoice, "vote_choice"))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())
