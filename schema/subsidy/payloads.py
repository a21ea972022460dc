"""Payloads of the subsidy mutations: the changed object and ``errors``."""

from __future__ import annotations

import strawberry

from propgraph.schema.errors import UserError
from propgraph.schema.subsidy.types import Evidence, SubsidyApplication, SubsidyBatch, SubsidyRound


@strawberry.type
class SubsidyRoundPayload:
    round: SubsidyRound | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SubsidyApplicationPayload:
    application: SubsidyApplication | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EvidencePayload:
    evidence: Evidence | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SubsidyBatchPayload:
    batch: SubsidyBatch | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
