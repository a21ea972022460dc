"""Operation limits per role, checked before any work grows with the document.

Every document is parsed with a token limit, then measured by ``authz/cost.py``
(one linear walk, fragments measured once), and only then handed to
graphql-core's validation and to execution. A document over any limit is
refused with ``extensions.code = "QUERY_TOO_COMPLEX"`` naming the limit.

graphql-armor's defaults are the reference (depth 6, aliases 15, tokens
1,000, cost 5,000); ours differ where our users need it:

Values per role: persons (PUBLIC, OWNER, DELEGATE) / companies (ENTERPRISE,
MANAGER) / offices (CITY, DISTRICT, STREET, COMMUNITY):

- depth 16 / 24 / 24: GraphiQL's introspection query is 15 deep; the
  six-level drill-down (districts → … → owners, counting each connection's
  ``edges``/``node``) is 20.
- aliases 15 / 30 / 30: a dashboard names a handful; hundreds multiply one
  query.
- tokens 2,000 / 3,000 / 3,000: GraphiQL's introspection is ~1,100; a large
  dashboard a few hundred.
- cost 10,000 (PUBLIC 5,000, graphql-armor's) / 50,000 / 50,000: the fields
  an answer can hold (cost.py). A street's dashboard, 50 communities × 50
  projects with stats, is ~17,000; one project's buildings → units → owners
  in default pages ~33,000; an owner's pages a few hundred; the public
  directory a page of 500 projects with a few fields each.
- duplicates 20: graphql-core compares same-named fields pairwise.
- introspection lists 3: types → fields → args is all GraphiQL asks.

Cost is counted from ``first`` (50 when absent), so a drill-down of several
levels must size its pages: 50 × 50 × 50 … is refused before it runs, not
after it has read the city. Batches (at most 10 operations) share one cost
budget. Any value can be changed per role with ``PROPGRAPH_LIMITS``, a JSON
object such as ``{"CITY": {"cost": 80000}}``.

Besides these, ``resolvers/paging.py`` caps the rows one request may read
(100,000), and the gateway bounds the request body, the wall-clock time of
an operation and the size of the answer (``propgraph/gateway.py``).
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from graphql import GraphQLError, GraphQLSchema, validate
from graphql.language import DocumentNode, OperationDefinitionNode
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from propgraph.authz.cost import Measure, Unmeasurable, measure

MAX_OPERATIONS_PER_BATCH = 10
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
INVALID = "GRAPHQL_VALIDATION_FAILED"

log = logging.getLogger("propgraph.graphql")


@dataclass(frozen=True)
class Limits:
    depth: int = 24
    aliases: int = 30
    tokens: int = 3000
    cost: int = 50_000
    duplicates: int = 20
    introspection_lists: int = 3


OFFICES = Limits()
COMPANIES = OFFICES  # one project's buildings → units → owners in default pages is ~33,000
PERSONS = Limits(depth=16, aliases=15, tokens=2000, cost=10_000)
ANONYMOUS = replace(PERSONS, cost=5_000)
ROLE_LIMITS: dict[str, Limits] = {
    "CITY": OFFICES,
    "DISTRICT": OFFICES,
    "STREET": OFFICES,
    "COMMUNITY": OFFICES,
    "ENTERPRISE": COMPANIES,
    "MANAGER": COMPANIES,
    "OWNER": PERSONS,
    "DELEGATE": PERSONS,
    "PUBLIC": ANONYMOUS,
}
LIMIT_NAMES = frozenset(f.name for f in fields(Limits))


def limits_for(role: str, overrides: Mapping[str, Mapping[str, int]] | None = None) -> Limits:
    """The role's limits, with any ``PROPGRAPH_LIMITS`` values for it applied."""
    base = ROLE_LIMITS.get(role, PERSONS)
    changes = dict((overrides or {}).get(role, {}))
    unknown = set(changes) - LIMIT_NAMES
    if unknown:
        raise ValueError(f"PROPGRAPH_LIMITS names unknown limits: {sorted(unknown)}")
    return replace(base, **changes) if changes else base


class CostBudget:
    """The cost one HTTP request may spend, shared by the operations of a batch."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self, cost: int) -> bool:
        self.spent += cost
        return self.spent <= self.limit


def too_complex(message: str, limit: str, maximum: int, actual: int) -> GraphQLError:
    return GraphQLError(
        message,
        extensions={"code": TOO_COMPLEX, "limit": limit, "maximum": maximum, "actual": actual},
    )


# Limits on the document's shape, checked over all its operations, in this order.
SHAPE_LIMITS = {
    "depth": "The query exceeds maximum operation depth of {maximum}.",
    "aliases": "The query has {worst} aliases (fragments counted each time they are spread); "
    "at most {maximum} are allowed.",
    "duplicates": "The query selects one field {worst} times in one place; "
    "at most {maximum} are allowed.",
    "introspection_lists": "The introspection query nests {worst} lists; "
    "at most {maximum} are allowed.",
}


def check(
    measures: Mapping[str, Measure], operation: str, limits: Limits, budget: CostBudget | None
) -> GraphQLError | None:
    """The first limit the document breaks, or None."""
    if not measures:
        return None
    for limit, message in SHAPE_LIMITS.items():
        worst = max(getattr(m, limit) for m in measures.values())
        maximum = getattr(limits, limit)
        if worst > maximum:
            return too_complex(message.format(worst=worst, maximum=maximum), limit, maximum, worst)
    cost = measures[operation].cost if operation in measures else 0
    within = budget.spend(cost) if budget is not None else cost <= limits.cost
    if not within:
        spent = budget.spent if budget is not None else cost
        return too_complex(
            f"The query could return {cost:,} fields, more than the {limits.cost:,} allowed "
            "per request (batched operations share it). Ask for smaller pages (`first`) "
            "or fewer levels at once.",
            "cost",
            limits.cost,
            spent,
        )
    return None


def selected_operation(document: DocumentNode, name: str | None) -> str:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        only = operations[0] if len(operations) == 1 else None
        return only.name.value if only is not None and only.name else ""
    return name


class TextCache:
    """A small LRU map for per-text results: documents, validation errors, measures.

    Keyed by the query text (not by ``DocumentNode``, whose hash walks the
    whole tree on every request); long texts are not kept.
    """

    MAX_TEXT = 64 * 1024

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)


DOCUMENTS = TextCache(1024)  # (text, token limit) → DocumentNode
VALIDATED = TextCache(1024)  # (schema, text) → graphql-core's errors
MEASURED = TextCache(4096)  # (schema, text, variables) → measures


def _cacheable(text: str | None) -> bool:
    return text is not None and len(text) <= TextCache.MAX_TEXT


def _measures_key(
    schema: GraphQLSchema, text: str | None, variables: Mapping[str, Any]
) -> tuple[Any, ...] | None:
    if not _cacheable(text):
        return None
    try:
        encoded = json.dumps(variables, sort_keys=True)
    except (TypeError, ValueError):
        return None
    return (schema, text, encoded) if len(encoded) <= TextCache.MAX_TEXT else None


# What an earlier request of the same text left: the direct path
# (resolvers/compiled/direct.py) answers only from these, never computing them.
def cached_document(text: str | None, tokens: int) -> DocumentNode | None:
    """The parsed document of a text parsed before under the same token limit."""
    return DOCUMENTS.get((text, tokens)) if _cacheable(text) else None


def cached_validation(schema: GraphQLSchema, text: str | None) -> list[GraphQLError] | None:
    """The validation errors of a text validated before against this schema."""
    return VALIDATED.get((schema, text)) if _cacheable(text) else None


def cached_measures(
    schema: GraphQLSchema, text: str | None, variables: Mapping[str, Any]
) -> dict[str, Measure] | None:
    """The measures of a text measured before with these variables."""
    key = _measures_key(schema, text, variables)
    return MEASURED.get(key) if key is not None else None


class LimitedValidation(SchemaExtension):
    """Measure first, then graphql-core's validation without suggestions.

    Suggestions ("Did you mean …") would reveal fields hidden from the
    caller's role; graphql-core hides them only when asked to. Parsing,
    measuring and validating are remembered per query text and role.
    """

    def _limits(self) -> tuple[Limits, CostBudget | None]:
        context = self.execution_context.context
        limits = getattr(context, "limits", None)
        if limits is None:
            role = getattr(getattr(self.execution_context.schema, "policy", None), "role", "")
            limits = limits_for(role)
        return limits, getattr(context, "cost_budget", None)

    def on_operation(self) -> Iterator[None]:
        limits, _ = self._limits()
        self.execution_context.parse_options["max_tokens"] = limits.tokens
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        limits, _ = self._limits()
        text = context.query
        cached = cached_document(text, limits.tokens)
        if cached is not None:
            context.graphql_document = cached
        yield
        if cached is None and context.graphql_document is not None and _cacheable(text):
            DOCUMENTS.put((text, limits.tokens), context.graphql_document)
        # A syntax error carries a code like every other error; too many tokens is a limit.
        for error in context.pre_execution_errors or ():
            if error.extensions and "code" in error.extensions:
                continue
            if "tokens. Parsing aborted" in error.message:
                maximum = limits.tokens
                error.extensions = {"code": TOO_COMPLEX, "limit": "tokens", "maximum": maximum}
            else:
                error.extensions = {"code": "GRAPHQL_PARSE_FAILED"}

    def _measures(self, schema: GraphQLSchema, document: DocumentNode) -> dict[str, Measure]:
        context = self.execution_context
        text = context.query
        variables = context.variables or {}
        key = _measures_key(schema, text, variables)
        cached = MEASURED.get(key) if key is not None else None
        if cached is None:
            cached = measure(schema, document, variables)
            if key is not None:
                MEASURED.put(key, cached)
        return cached

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None
        limits, budget = self._limits()
        schema = context.schema._schema
        try:
            measures = self._measures(schema, document)
            error = check(
                measures, selected_operation(document, context.operation_name), limits, budget
            )
        except Unmeasurable:
            error = too_complex(
                "The query's fragments spread themselves or nest too deeply.",
                "depth",
                limits.depth,
                limits.depth + 1,
            )
        if error is not None:
            context.pre_execution_errors = [error]
        else:
            context.pre_execution_errors = self._validate(schema, document)
        yield

    def _validate(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        text = self.execution_context.query
        key = (schema, text)
        errors = cached_validation(schema, text)
        if errors is None:
            rules = (
                *self.execution_context.validation_rules,
                MaybeNullValidationRule,
                OneOfInputValidationRule,
            )
            errors = validate(schema, document, rules, hide_suggestions=True)
            for error in errors:  # every error carries a code, validation's too
                if not error.extensions or "code" not in error.extensions:
                    error.extensions = {**(error.extensions or {}), "code": INVALID}
            if _cacheable(text):
                VALIDATED.put(key, errors)
        return list(errors)


class SuggestionFreeExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Variable coercion errors without "Did you mean" either."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        built = super().build(*args, **kwargs)
        if isinstance(built, list):  # variables that do not fit their types
            for error in built:
                if not error.extensions or "code" not in error.extensions:
                    error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
        return built


def is_unexpected(error: GraphQLError) -> bool:
    """Errors we did not raise on purpose: masked, so no internals leak."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    log.error("unexpected error in %s", error.path, exc_info=original)
    return True


def mask_unexpected_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=is_unexpected, error_message="Internal error.")
