"""The direct path: a query answered from its plan without running the executor.

A request whose text this role has already parsed, validated and planned,
with variables of a shape already planned, needs none of Strawberry's or
graphql-core's per-request machinery: its answer is the plan's statement's
JSON text. ``direct_data`` answers such a request from what the full path
left behind, and from nothing else:

- the parsed document, the validation result and the measures are the ones
  ``LimitedValidation`` cached for this text (``authz/limits.py``); a text
  not seen yet, or seen with errors, is the full path's;
- the limits are checked again (depth, aliases, cost with these variables);
- the variables are coerced by graphql-core, as the executor would; any
  coercion error is the full path's to report;
- the plan is the one the executor made for the same operation node,
  policy, scope rule and variable shape (``PlanCache.find``); a request
  whose plan does not exist yet, or says "no plan", goes the full way.

So it never decides anything the full path did not decide first for the
same role, text and shape of variables; it only skips doing it again. Any
doubt answers None and the request runs the full way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asyncpg.exceptions import QueryCanceledError
from graphql import GraphQLSchema, OperationType, get_operation_ast
from graphql.execution.values import get_variable_values

from propgraph.authz.limits import (
    CostBudget,
    Limits,
    cached_document,
    cached_measures,
    cached_validation,
    check,
    selected_operation,
)
from propgraph.authz.viewer import Viewer
from propgraph.resolvers.compiled.executor import DIRECT, plan_cache, run_plan


class OutOfTime(Exception):
    """The plan's statement ran past the operation's time limit."""


async def direct_data(
    schema: GraphQLSchema,
    request: Mapping[str, Any],
    viewer: Viewer,
    limits: Limits,
    db: Any,
    timeout: float,
) -> str | None:
    """The JSON text of the request's ``data``, or None: the full path answers.

    ``request`` is the decoded body (``query``, ``operationName``,
    ``variables``); raises ``OutOfTime`` past ``timeout`` seconds.
    """
    text, name = request.get("query"), request.get("operationName")
    variables = request.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(text, str) or not isinstance(name, str | None):
        return None
    if not isinstance(variables, dict):
        return None
    document = cached_document(text, limits.tokens)
    if document is None or cached_validation(schema, text) != []:
        return None
    operation = get_operation_ast(document, name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    measures = cached_measures(schema, text, variables)
    if measures is None:
        return None
    if check(measures, selected_operation(document, name), limits, CostBudget(limits.cost)):
        return None
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), variables, hide_suggestions=True
    )
    if isinstance(coerced, list):
        return None
    plan = plan_cache(schema).find(operation, viewer, coerced.coerced)
    if plan is None or plan.sql is None:
        return None
    try:  # asyncpg's own timer: no asyncio.timeout around a single statement
        answer = await run_plan(plan, coerced.coerced, viewer, db, timeout=timeout)
    except (TimeoutError, QueryCanceledError) as exc:
        raise OutOfTime from exc
    if answer is not None:
        DIRECT.inc()
    return answer
