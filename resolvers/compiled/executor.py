"""Plans cached per role schema, and the executor that tries them first.

A plan's key: the operation (the validated document is cached per query
text, so the same object comes back), the role's policy, the scope's rule
and level (not its keys: those are parameters), and the fingerprint of the
variables that decide the shape. A query with no plan is remembered as such,
so it costs one dictionary lookup before the resolvers run.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from asyncpg.exceptions import QueryCanceledError
from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode

from propgraph.authz.limits import SuggestionFreeExecutionContext
from propgraph.authz.viewer import Viewer
from propgraph.metrics import COMPILED_READS
from propgraph.resolvers import paging
from propgraph.resolvers.compiled.planner import Fingerprint, Planner, same_value
from propgraph.resolvers.compiled.sql import (
    UNPLANNED,
    NotCompilable,
    Params,
    RawJSON,
    scope_shape,
)

log = logging.getLogger("propgraph.compiled")
PLANS_PER_SCHEMA = 512
# Tests set this: a statement that fails is a bug to see, not to hide behind the resolvers.
STRICT = False


@dataclass(frozen=True)
class Plan:
    operation: OperationDefinitionNode  # held, so that its id() stays its own
    policy: Any
    sql: str | None  # None: no plan, the resolvers answer
    params: Params
    pages: tuple[tuple[int | None, Callable[[dict[str, Any]], int]], ...]

    def rows_bound(self, variables: dict[str, Any]) -> int:
        """At most how many rows the pages read (each one more than its ``first``)."""
        reach: list[int] = []
        for enclosing, first in self.pages:
            outer = 1 if enclosing is None else reach[enclosing]
            reach.append(outer * (first(variables) + 1))
        return sum(reach)


@dataclass(frozen=True)
class Spec:
    """How an operation's plans depend on its variables (learnt from its first plan)."""

    operation: OperationDefinitionNode
    policy: Any
    fingerprints: tuple[tuple[str, Fingerprint | None], ...]
    account_reads: tuple[str, ...]  # the account's columns its row filters read

    def key(self, variables: dict[str, Any], viewer: Viewer) -> tuple[Any, ...]:
        shape = tuple(
            (name, fingerprint(variables.get(name)))
            for name, fingerprint in self.fingerprints
            if fingerprint is not None
        )
        account = viewer.account
        return (shape, tuple(getattr(account, name) for name in self.account_reads))


class PlanCache:
    def __init__(self) -> None:
        self.specs: dict[Any, Spec] = {}
        self.plans: OrderedDict[Any, Plan] = OrderedDict()

    def find(
        self, operation: OperationDefinitionNode, viewer: Viewer, variables: dict[str, Any]
    ) -> Plan | None:
        """The plan made before for this operation, viewer's rule and variables' shape."""
        base = (id(operation), id(viewer.policy), scope_shape(viewer.scope))
        spec = self.specs.get(base)
        if spec is None or spec.operation is not operation or spec.policy is not viewer.policy:
            return None
        key = (base, spec.key(variables, viewer))
        plan = self.plans.get(key)
        if plan is not None:
            self.plans.move_to_end(key)
        return plan

    def plan(
        self, executor: Any, viewer: Viewer, root_type: GraphQLObjectType, fields: Any
    ) -> Plan:
        operation = executor.operation
        variables = executor.variable_values.coerced
        found = self.find(operation, viewer, variables)
        if found is not None:
            return found
        base = (id(operation), id(viewer.policy), scope_shape(viewer.scope))
        plan, spec = self._make(executor, viewer, root_type, fields)
        self.specs[base] = spec
        self.plans[(base, spec.key(variables, viewer))] = plan
        while len(self.plans) > PLANS_PER_SCHEMA:
            (old_base, _), _ = self.plans.popitem(last=False)
            if not any(k[0] == old_base for k in self.plans):
                self.specs.pop(old_base, None)
        return plan

    def _make(
        self, executor: Any, viewer: Viewer, root_type: GraphQLObjectType, fields: Any
    ) -> tuple[Plan, Spec]:
        planner = Planner(executor, viewer)
        try:
            sql: str | None = planner.params.compact(planner.root_sql(root_type, fields))
        except NotCompilable as reason:
            log.debug("no plan: %s", reason)
            sql = None
        except GraphQLError:
            sql = None  # bad input: the resolvers give the error its path
        except Exception:
            if STRICT:
                raise
            log.warning("planning failed; the resolvers answer", exc_info=True)
            sql = None
        names = [v.variable.name.value for v in executor.operation.variable_definitions or ()]
        fingerprints = tuple(
            (name, planner.fingerprints.get(name, same_value)) for name in sorted(names)
        )
        operation = executor.operation
        plan = Plan(operation, viewer.policy, sql, planner.params, tuple(planner.pages))
        reads = tuple(sorted(planner.account_reads))
        return plan, Spec(operation, viewer.policy, fingerprints, reads)


_CACHES: WeakKeyDictionary[GraphQLSchema, PlanCache] = WeakKeyDictionary()


def plan_cache(schema: GraphQLSchema) -> PlanCache:
    cache = _CACHES.get(schema)
    if cache is None:
        cache = _CACHES[schema] = PlanCache()
    return cache


PLANNED = COMPILED_READS.labels("planned")
DIRECT = COMPILED_READS.labels("direct")
RESOLVED = COMPILED_READS.labels("resolvers")


async def compiled_data(executor: Any, root_type: GraphQLObjectType, fields: Any) -> Any:
    """The operation's ``data`` from its plan, or None when the resolvers must answer."""
    data = await _planned_data(executor, root_type, fields)
    (RESOLVED if data is None else PLANNED).inc()
    return data


async def run_plan(
    plan: Plan, variables: dict[str, Any], viewer: Viewer, db: Any, timeout: float | None = None
) -> str | None:
    """The JSON text of ``data`` by the plan's statement, or None: the resolvers answer.

    Raises ``QueryCanceledError`` when the statement ran out of time on the
    server, ``TimeoutError`` past ``timeout`` seconds here (the resolvers
    would be no quicker).
    """
    if plan.sql is None:
        return None
    try:
        if plan.rows_bound(variables) > paging.MAX_ROWS_PER_REQUEST:
            return None  # the resolvers count what they really read, and refuse past it
        values = plan.params.values(variables, viewer)
    except GraphQLError:
        return None
    try:
        text: str = await db.fetch_json(plan.sql, values, timeout)
    except (QueryCanceledError, TimeoutError):
        raise
    except Exception:
        if STRICT:
            log.error("compiled read failed: %s %s", plan.sql, values)
            raise
        log.warning("compiled read failed; the resolvers answer", exc_info=True)
        return None
    return None if UNPLANNED in text else text


async def _planned_data(executor: Any, root_type: GraphQLObjectType, fields: Any) -> Any:
    context = executor.context_value
    viewer: Viewer = context.viewer
    plan = plan_cache(executor.schema).plan(executor, viewer, root_type, fields)
    text = await run_plan(plan, executor.variable_values.coerced, viewer, context.db)
    if text is None:
        return None
    if getattr(context, "raw_json", False):
        return RawJSON(text)  # written into the answer as it is (role_app.encode_json)
    return json.loads(text)


class CompiledFirstExecutor(SuggestionFreeExecutionContext):
    """graphql-core's executor, trying the operation's plan before its resolvers."""

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: Any,
        serially: bool,
        position_context: Any,
    ) -> Any:
        resolve = super().execute_root_grouped_field_set
        if serially or not getattr(self.context_value, "compiled_reads", False):
            return resolve(root_type, root_value, grouped_field_set, serially, position_context)

        async def planned_or_resolved() -> Any:
            data = await compiled_data(self, root_type, grouped_field_set)
            if data is not None:
                return data
            result = resolve(root_type, root_value, grouped_field_set, serially, position_context)
            return await result if self.is_awaitable(result) else result

        return planned_or_resolved()
