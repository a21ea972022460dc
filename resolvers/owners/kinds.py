"""Node kinds of the owners area, scoped like the graph (authz/scope.py)."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import Account, Delegation, Meeting, Owner, Project, Topic
from propgraph.resolvers.graph.kinds import NodeKind


def _delegation_columns() -> object:
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


DELEGATION = NodeKind("Delegation", Delegation, "delegations", _delegation_columns)  # type: ignore[arg-type]

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
