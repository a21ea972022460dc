"""addPolicyRule (CITY HEAD): one `p` row more, enforced by every process within a second."""

from __future__ import annotations

from typing import Any

from propgraph.schema.accounts.inputs import PolicyRuleInput
from propgraph.schema.accounts.payloads import PolicyRulePayload
from propgraph.schema.accounts.types import PolicyRule
from propgraph.schema.context import Info
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.workflows import policy_rules


async def reload_here(info: Info, payload: PolicyRulePayload) -> PolicyRulePayload:
    """After a committed change, this process reloads before it answers; the others
    hear of it from the database (propgraph/policies.py)."""
    live = info.context.services.extras.get("policy")
    if payload.rule is not None and live is not None:
        await live.reload()
    return payload


class AddPolicyRule(BaseMutation):
    name = "addPolicyRule"
    description = (
        "Add one policy rule (a Casbin `p` row); every gateway process enforces it, and "
        "rebuilds the affected role's schema, within a second."
    )
    input_type = PolicyRuleInput
    payload_type = PolicyRulePayload

    @classmethod
    async def run(cls, info: Info, data: Any) -> Any:
        return await reload_here(info, await super().run(info, data))

    @classmethod
    async def perform(cls, write: Write, data: PolicyRuleInput) -> PolicyRulePayload:
        rule = await policy_rules.change(
            write.conn,
            add=True,
            values=(data.subject, data.object, data.action, data.effect),
            actor=write.actor,
            now=write.now,
        )
        return PolicyRulePayload(rule=PolicyRule.from_rule(rule))
