"""Node kinds of the owners area, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Select, select

from propgraph.models import (
    Account,
    Delegation,
    Meeting,
    MeetingStatus,
    Owner,
    Project,
    Topic,
    VotingRule,
)
from propgraph.resolvers.graph.kinds import NodeKind


class DelegationRow(Protocol):
    """A row of ``DELEGATION.columns()``."""

    id: int
    owner_id: int
    project_id: int
    delegate_name: str
    delegate_phone: str
    starts_on: date
    ends_on: date
    revoked_at: datetime | None
    owner_name: str
    project_name: str
    delegate_username: str | None


class MeetingRow(Protocol):
    """A row of ``MEETING.columns()``; ``status`` is as stored (see
    ``workflows.meetings.meeting_status`` for the one in force now)."""

    id: int
    project_id: int
    community_id: int
    street_id: int
    district_id: int
    title: str
    publicity_starts_on: date
    voting_starts_at: datetime
    voting_ends_at: datetime
    status: MeetingStatus
    opened_by_role: str
    opened_by_scope_id: int
    cancel_reason: str | None
    version: int


class TopicRow(Protocol):
    """A row of ``TOPIC.columns()``."""

    id: int
    meeting_id: int
    position: int
    title: str
    rule: VotingRule


def _delegation_columns() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Delegation.id,
            Delegation.owner_id,
            Delegation.project_id,
            Delegation.delegate_name,
            Delegation.delegate_phone,
            Delegation.starts_on,
            Delegation.ends_on,
            Delegation.revoked_at,
            Owner.name.label("owner_name"),
            Project.name.label("project_name"),
            Account.username.label("delegate_username"),
        )
        .join(Owner, Owner.id == Delegation.owner_id)
        .join(Project, Project.id == Delegation.project_id)
        .outerjoin(Account, Account.delegation_id == Delegation.id)
    )


DELEGATION = NodeKind("Delegation", Delegation, "delegations", _delegation_columns)

MEETING_COLUMNS = (
    Meeting.id,
    Meeting.project_id,
    Meeting.community_id,
    Meeting.street_id,
    Meeting.district_id,
    Meeting.title,
    Meeting.publicity_starts_on,
    Meeting.voting_starts_at,
    Meeting.voting_ends_at,
    Meeting.status,
    Meeting.opened_by_role,
    Meeting.opened_by_scope_id,
    Meeting.cancel_reason,
    Meeting.version,
)

MEETING = NodeKind("Meeting", Meeting, "meetings", lambda: select(*MEETING_COLUMNS))

TOPIC = NodeKind(
    "Topic",
    Topic,
    "topics",
    lambda: select(Topic.id, Topic.meeting_id, Topic.position, Topic.title, Topic.rule),
)
