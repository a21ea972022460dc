"""removePolicyRule (CITY HEAD): one `p` row less, enforced by every process within a second."""

from __future__ import annotations

from typing import Any

from propgraph.schema.accounts.inputs import PolicyRuleInput
from propgraph.schema.accounts.mutations.add_policy_rule import reload_here
from propgraph.schema.accounts.payloads import PolicyRulePayload
from propgraph.schema.accounts.types import PolicyRule
from propgraph.schema.context import Info
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.workflows import policy_rules


class RemovePolicyRule(BaseMutation):
    name = "removePolicyRule"
    description = (
        "Remove one policy rule (a Casbin `p` row); every gateway process enforces that, and "
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
            add=False,
            values=(data.subject, data.object, data.action, data.effect),
            actor=write.actor,
            now=write.now,
        )
        return PolicyRulePayload(rule=PolicyRule.from_rule(rule))
