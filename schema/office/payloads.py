"""Payloads of the office-work mutations: the changed object and ``errors``."""

from __future__ import annotations

import strawberry

from propgraph.schema.errors import UserError
from propgraph.schema.office.types import Evaluation, TenderFiling


@strawberry.type
class EvaluationPayload:
    evaluation: Evaluation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TenderFilingPayload:
    filing: TenderFiling | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
