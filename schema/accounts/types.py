"""The PolicyRule type (the Account type lives with notices, its first user)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="One Casbin `p` row: subject, object, action, effect.")
class PolicyRule:
    subject: str = strawberry.field(description="A role, `ROLE:POSITION`, or a group.")
    object: str = strawberry.field(description="`Type.field` or `Mutation.name`.")
    action: str = strawberry.field(description="read, mask or call.")
    effect: str = strawberry.field(description="allow or deny.")

    @classmethod
    def from_rule(cls, rule: tuple[str, str, str, str]) -> PolicyRule:
        return cls(subject=rule[0], object=rule[1], action=rule[2], effect=rule[3])
