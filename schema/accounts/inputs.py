"""Inputs of accounts and policy rules."""

from __future__ import annotations

import strawberry

from propgraph.schema.graph.enums import Position, Role
from propgraph.schema.text import CheckedInput


@strawberry.input(description="Narrow the accounts list.")
class AccountFilter(CheckedInput):
    role: Role | None = None
    position: Position | None = None
    disabled: bool | None = None


@strawberry.input(
    description="Preset an account: a HEAD presets its own office's clerks and the heads of "
    "the level directly below; an enterprise presets the manager of one of its projects."
)
class CreateAccountInput(CheckedInput):
    username: str = strawberry.field(
        description="Sign-in name: 3-64 lower-case letters, digits or `_`, starting with a letter."
    )
    name: str = strawberry.field(description="The person's name.")
    phone: str = strawberry.field(description="11-digit mainland mobile number.")
    role: Role = strawberry.field(description="The new account's role.")
    position: Position | None = strawberry.field(
        default=None, description="HEAD or CLERK (offices only)."
    )
    scope_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The node the account's scope starts at: a District, Street or Community "
        "for offices (your own office's node when left out for a clerk), a Project for a "
        "manager; none for the city.",
    )


@strawberry.input(description="Switch an account you may preset off or on.")
class SetAccountDisabledInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The account.")
    disabled: bool = strawberry.field(description="True refuses its next request.")


@strawberry.input(description="One Casbin `p` row of the policy.")
class PolicyRuleInput(CheckedInput):
    subject: str = strawberry.field(description="A role, `ROLE:POSITION`, or a group.")
    object: str = strawberry.field(description="`Type.field` or `Mutation.name` (`*` matches).")
    action: str = strawberry.field(description="read, mask or call.")
    effect: str = strawberry.field(description="allow or deny; a deny wins.")
