"""Payloads of the owners area: the changed object and ``errors``."""

from __future__ import annotations

import strawberry

from propgraph.schema.errors import UserError
from propgraph.schema.graph.types import Owner, Project, Unit
from propgraph.schema.owners.types import Delegation, Meeting, Vote


@strawberry.type
class OwnerPayload:
    owner: Owner | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DelegationPayload:
    delegation: Delegation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UnitPayload:
    unit: Unit | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VotePayload:
    vote: Vote | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProjectPayload:
    project: Project | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
