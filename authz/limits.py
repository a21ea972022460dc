"""Operation limits and suggestion-free validation, shared by every role schema.

Values, and why:
- depth 24: the deepest dashboard query, districts → streets → communities →
  projects → buildings → units → owners → a field, is 20 levels counting each
  connection's ``edges``/``node``; 24 leaves room for a fragment wrapper or
  two, and stops cycles (``owners → units → building → project → …``) early.
- 30 aliases (fragment spreads multiplied, strawberry ≥ 0.315.7): a dashboard
  asks for a handful; hundreds of aliases are a way to multiply one query.
- 3,000 tokens: GraphiQL's introspection query is about 1,100 and a large
  hand-written dashboard query a few hundred.
- 10 operations per batched request.
- Page size at most 500 (``schema/relay.py``), ``nodes`` at most 1,000 ids.

The rule classes are built once here (not per request), so the validation
cache below keeps working: a rule built per request would never hit it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, validate
from graphql.language import DocumentNode
from strawberry.extensions import MaskErrors, SchemaExtension, max_aliases, query_depth_limiter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

MAX_DEPTH = 24
MAX_ALIASES = 30
MAX_TOKENS = 3000
MAX_OPERATIONS_PER_BATCH = 10

DEPTH_RULE = query_depth_limiter.create_validator(MAX_DEPTH, None)
ALIASES_RULE = max_aliases.create_validator(MAX_ALIASES)

log = logging.getLogger("propgraph.graphql")


@lru_cache(maxsize=512)
def _validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]
) -> list[GraphQLError]:
    return validate(schema, document, rules, hide_suggestions=True)


class LimitedValidation(SchemaExtension):
    """Validation with our limits, never suggesting names, cached per document.

    Suggestions ("Did you mean …") would reveal fields hidden from the
    caller's role; graphql-core hides them only when asked to.
    """

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = MAX_TOKENS
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        rules = (*context.validation_rules, DEPTH_RULE, ALIASES_RULE)
        context.pre_execution_errors = _validate(
            context.schema._schema, context.graphql_document, rules
        )
        yield


class SuggestionFreeExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Variable coercion errors without "Did you mean" either."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


def is_unexpected(error: GraphQLError) -> bool:
    """Errors we did not raise on purpose: masked, so no internals leak."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    log.error("unexpected error in %s", error.path, exc_info=original)
    return True


def mask_unexpected_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=is_unexpected, error_message="Internal error.")
