"""From a validated operation to one SQL statement that builds its ``data``.

The planner walks the operation the way graphql-core's executor does
(``collect_subfields``: fragments, aliases, ``@skip``/``@include``, type
conditions) and asks each field's shape (``shapes.py``) for its SQL. It
records how the plan depends on the request's variables:

- a variable used as a *value* (``first``, ``after``, the key of ``node(id:)``)
  becomes a parameter, and any value serves the same plan;
- a variable that decides the *shape* (a directive's condition, a filter, the
  type named by ``node(id:)``) is part of the plan's key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    VariableNode,
    Visitor,
    get_named_type,
    visit,
)
from graphql.execution.collect_fields import FieldDetails, collect_subfields
from graphql.execution.values import get_argument_values
from graphql.pyutils import Undefined
from graphql.type.introspection import TypeNameMetaFieldDef

from propgraph.authz.viewer import Viewer
from propgraph.resolvers.compiled.shapes import SHAPES
from propgraph.resolvers.compiled.sql import (
    UNPLANNED_JSON,
    NotCompilable,
    Params,
    SymbolicAccount,
    json_object,
    select_text,
    string,
    symbolic_scope,
)

Fingerprint = Callable[[Any], Any]


def same_value(value: Any) -> Any:
    """The fingerprint of a variable that decides a plan's shape: its whole value."""
    return repr(value)


@dataclass(frozen=True)
class Planned:
    """One response key of a selection: the field, its nodes, where its value sits."""

    key: str
    details: list[FieldDetails]
    definition: GraphQLField
    path: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.details[0].node.name.value

    @property
    def node(self) -> FieldNode:
        return self.details[0].node

    @property
    def object_type(self) -> GraphQLObjectType:
        named = get_named_type(self.definition.type)
        if not isinstance(named, GraphQLObjectType):
            raise NotCompilable(f"{named} is abstract")
        return named

    def item(self) -> Planned:
        """The same field, for each item of its list."""
        return Planned(self.key, self.details, self.definition, (*self.path, "*"))


@dataclass(frozen=True)
class Argument:
    """A field argument: its value now, and how to read it from another request."""

    current: Any
    variable: str | None
    default: Any

    def value(self, variables: dict[str, Any]) -> Any:
        if self.variable is None:
            return self.current
        return variables.get(self.variable, self.default)


@dataclass
class Planner:
    executor: Any  # graphql-core's Executor: schema, fragments, variables, operation
    viewer: Viewer
    params: Params = field(default_factory=Params)
    # The account's columns (other than keys) the plan's row filters read.
    account_reads: dict[str, Any] = field(default_factory=dict)
    # How each variable read so far decides the plan: None = a parameter only.
    fingerprints: dict[str, Fingerprint | None] = field(default_factory=dict)
    # Pages as (enclosing page, first): the request's row bound (``paging.MAX_ROWS_PER_REQUEST``).
    pages: list[tuple[int | None, Callable[[dict[str, Any]], int]]] = field(default_factory=list)
    _page_stack: list[int] = field(default_factory=list)
    _aliases: int = 0

    def __post_init__(self) -> None:
        # Plans hold the scope's keys as parameters: one plan serves every node.
        account = self.viewer.account
        self.viewer = Viewer(
            account=None if account is None else SymbolicAccount(account, self.account_reads),  # type: ignore[arg-type]
            policy=self.viewer.policy,
            scope=symbolic_scope(self.viewer.scope),
            delegation=self.viewer.delegation,
        )

    @property
    def schema(self) -> GraphQLSchema:
        return self.executor.schema  # type: ignore[no-any-return]

    # --- pieces shapes ask for -------------------------------------------------

    def alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    def source(self, query: Any) -> str:
        return select_text(query, self.params)

    def unplanned_if_null(self, sql: str) -> str:
        """``sql``, or the marker that sends the operation to the resolvers when null."""
        return f"coalesce({sql}, {UNPLANNED_JSON})"

    def enter_page(self, first: Callable[[dict[str, Any]], int]) -> None:
        enclosing = self._page_stack[-1] if self._page_stack else None
        self.pages.append((enclosing, first))
        self._page_stack.append(len(self.pages) - 1)

    def leave_page(self) -> None:
        self._page_stack.pop()

    def _read(self, variable: str, fingerprint: Fingerprint | None) -> None:
        known = self.fingerprints.get(variable, fingerprint)
        self.fingerprints[variable] = fingerprint if known is fingerprint else same_value

    def argument(
        self, planned: Planned, name: str, fingerprint: Fingerprint | None = None
    ) -> Argument:
        """A scalar argument used as a value (``fingerprint``: what of it decides the shape)."""
        definition = planned.definition.args[name]
        out_name = definition.out_name or name
        details = planned.details[0]
        values = get_argument_values(
            planned.definition,
            details.node,
            self.executor.variable_values,
            details.fragment_variable_values,
            True,
        )
        current = values.get(out_name)
        default = None if definition.default_value is Undefined else definition.default_value
        node = next((a for a in details.node.arguments or () if a.name.value == name), None)
        if node is None or not isinstance(node.value, VariableNode):
            if node is not None:
                for variable in _variables_in(node.value):
                    self._read(variable, same_value)
            return Argument(current, None, default)
        variable = node.value.name.value
        if details.fragment_variable_values is not None:
            raise NotCompilable("fragment variables")
        self._read(variable, fingerprint)
        return Argument(current, variable, default)

    def shape_argument(self, planned: Planned, name: str) -> Any:
        """An argument whose value decides the statement (a filter): part of the key."""
        argument = self.argument(planned, name, fingerprint=same_value)
        return argument.current

    def subfields(
        self, planned: Planned, object_type: GraphQLObjectType | None = None
    ) -> list[tuple[str, Planned]]:
        object_type = object_type or planned.object_type
        executor = self.executor
        collected = collect_subfields(
            self.schema,
            executor.fragments,
            executor.variable_values,
            executor.operation,
            object_type,
            planned.details,
            True,
        )
        if collected.new_defer_usages:
            raise NotCompilable("@defer")
        return [
            (key, self._planned(object_type, key, details, planned.path))
            for key, details in collected.grouped_field_set.items()
        ]

    def _planned(
        self,
        object_type: GraphQLObjectType,
        key: str,
        details: list[FieldDetails],
        path: tuple[str, ...],
    ) -> Planned:
        name = details[0].node.name.value
        definition = TypeNameMetaFieldDef if name == "__typename" else object_type.fields.get(name)
        if definition is None:
            raise NotCompilable(f"{object_type.name}.{name}")
        return Planned(key, details, definition, (*path, key))

    def object_sql(
        self,
        planned: Planned,
        object_type: GraphQLObjectType,
        row: str,
        extra: dict[str, Callable[[Planned], str]] | None = None,
    ) -> str:
        """The JSON object of ``object_type`` read from ``row`` for ``planned``'s selection."""
        return self._fields_sql(object_type, self.subfields(planned, object_type), row, extra)

    def _fields_sql(
        self,
        object_type: GraphQLObjectType,
        fields: list[tuple[str, Planned]],
        row: str,
        extra: dict[str, Callable[[Planned], str]] | None = None,
    ) -> str:
        shape = SHAPES.get(object_type.name)
        pairs = []
        for key, sub in fields:
            name = sub.name
            if name == "__typename":
                sql = string(object_type.name)
            elif extra is not None and name in extra:
                sql = extra[name](sub)
            elif shape is not None and name in shape.fields:
                sql = shape.fields[name].sql(self, row, sub)
            else:
                raise NotCompilable(f"{object_type.name}.{name}")
            pairs.append((key, sql))
        return json_object(pairs)

    def root_sql(self, root_type: GraphQLObjectType, grouped_field_set: Any) -> str:
        fields = [
            (key, self._planned(root_type, key, details, ()))
            for key, details in grouped_field_set.items()
        ]
        return f"SELECT {self._fields_sql(root_type, fields, '')}::text"


def _variables_in(value_node: Any) -> list[str]:
    found: list[str] = []

    class Collect(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            found.append(node.name.value)

    visit(value_node, Collect())
    return found
