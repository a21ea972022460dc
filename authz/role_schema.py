"""One schema per role, built from one set of Strawberry types.

``RoleSchema.get_fields`` is the hook Strawberry calls for every type while
it builds a schema; we drop the fields the role's policy does not show. The
result: introspection differs per role, and a hidden field gives exactly the
error of a field that exists nowhere.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField
from strawberry.types.graphql import OperationType

from propgraph.authz.limits import (
    MAX_OPERATIONS_PER_BATCH,
    LimitedValidation,
    mask_unexpected_errors,
)
from propgraph.authz.policy import RolePolicy
from propgraph.resolvers.compiled.executor import CompiledFirstExecutor

# Types whose fields the policy governs; everything else (connections,
# payloads, inputs, figures) is structural and appears wherever it is reachable.
ROOTS = ("Query", "Mutation", "Subscription")


def is_guarded(definition: StrawberryObjectDefinition) -> bool:
    if definition.name in ROOTS or definition.name == "Viewer":
        return True
    return any(i.name == "Node" for i in definition.interfaces)


class RoleSchema(strawberry.Schema):
    def __init__(
        self,
        policy: RolePolicy,
        *,
        query: type,
        mutation: type | None,
        types: list[Any],
        subscription: type | None = None,
    ) -> None:
        self.policy = policy  # get_fields runs inside super().__init__
        config = StrawberryConfig(
            disable_field_suggestions=True,
            batching_config={"max_operations": MAX_OPERATIONS_PER_BATCH},
        )
        visible_types = [t for t in types if self._has_visible_fields(t, config)]
        has_mutations = mutation is not None and self._has_visible_fields(mutation, config)
        has_subscriptions = subscription is not None and self._has_visible_fields(
            subscription, config
        )
        super().__init__(
            query=query,
            mutation=mutation if has_mutations else None,
            subscription=subscription if has_subscriptions else None,
            types=visible_types,
            config=config,
            extensions=[LimitedValidation, mask_unexpected_errors],
            execution_context_class=CompiledFirstExecutor,
        )

    def _shows(self, definition: StrawberryObjectDefinition, name: str) -> bool:
        if definition.name == "Mutation":
            return self.policy.may_call_any_position(name)
        return self.policy.shows(definition.name, name)

    def _has_visible_fields(self, type_: type, config: StrawberryConfig) -> bool:
        definition: StrawberryObjectDefinition = type_.__strawberry_definition__  # type: ignore[attr-defined]
        if not is_guarded(definition):
            return True
        return any(
            self._shows(definition, config.name_converter.get_graphql_name(f))
            for f in definition.fields
        )

    async def execute(self, *args: Any, allowed_operation_types: Any = None, **kwargs: Any) -> Any:
        """Queries and mutations; a subscription is served over WebSocket only
        (``subscribe``), so over HTTP it is a 400 that says so."""
        allowed = set(allowed_operation_types or (OperationType.QUERY, OperationType.MUTATION))
        allowed.discard(OperationType.SUBSCRIPTION)
        kwargs["allowed_operation_types"] = allowed
        return await super().execute(*args, **kwargs)

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        """Client mistakes are answered, not logged; ``is_unexpected`` logs real failures."""

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        fields = super().get_fields(type_definition)
        if not is_guarded(type_definition):
            return fields
        name_of = self.config.name_converter.get_graphql_name
        return [f for f in fields if self._shows(type_definition, name_of(f))]
