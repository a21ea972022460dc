"""Payloads of the account and policy mutations."""

from __future__ import annotations

import strawberry

from propgraph.schema.accounts.types import PolicyRule
from propgraph.schema.errors import UserError
from propgraph.schema.notice.types import Account


@strawberry.type
class AccountPayload:
    account: Account | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PolicyRulePayload:
    rule: PolicyRule | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
