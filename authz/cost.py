"""What a document would cost, measured before anything expands it.

One walk over graphql-core's AST, with each fragment measured once and
reused wherever it is spread, so the work is linear in the document's size
whatever its fragments multiply to (Strawberry's depth and alias limiters
expand every spread anew: 2^n for fragments that spread the next one twice).

For every operation it measures:

- ``depth``: the deepest field path, fragments included;
- ``aliases``: aliased fields, each fragment's counted as often as it is spread;
- ``cost``: an upper bound on the fields the answer holds. A field costs 1
  plus, for each item of the list it returns, the cost of its selection. A
  connection's list holds ``first`` items (50 when not given), ``nodes(ids:)``
  as many as its ids, any other list ``ASSUMED_LIST_SIZE``. Repeated paths and
  aliases are counted every time: the loader cache makes them cheap to read
  but not to build and send;
- ``duplicates``: the most fields sharing one response name in one selection
  set. graphql-core compares such fields pairwise (``OverlappingFields…``):
  700 copies of ``me { username }`` cost 1.3 s of validation;
- ``introspection_lists``: the most introspection lists (``types``,
  ``fields``, ``args`` …) nested on one path. GraphiQL's own introspection
  needs 3 (types → fields → args); ``__Type.fields.type.fields…`` recursion
  is how a small document builds a huge answer from the schema alone.

Numbers saturate at ``CAP`` so a hostile document cannot make big integers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
    ValueNode,
    VariableNode,
    get_named_type,
)

from propgraph.schema.relay import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

CAP = 10**12
ASSUMED_LIST_SIZE = 10
# Fixed costs for reading the schema itself: the standard introspection query
# answers ~1 MB for a role schema; it is cached per role (authz/introspection.py).
SCHEMA_INTROSPECTION_COST = 1000
TYPE_INTROSPECTION_COST = 50
INTROSPECTION_LISTS = frozenset(
    {"types", "fields", "inputFields", "interfaces", "possibleTypes", "enumValues", "args"}
)
INTROSPECTION_ROOTS = {"__schema": SCHEMA_INTROSPECTION_COST, "__type": TYPE_INTROSPECTION_COST}


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0
    duplicates: int = 0
    introspection_lists: int = 0


class Unmeasurable(Exception):
    """Fragments that spread themselves, or spreads chained deeper than ``MAX_NESTING``."""


# Fields nest at most as deep as graphql-core's parser allows; fragment spreads
# chained one into the next could still exhaust Python's stack.
MAX_NESTING = 200


def _add(a: int, b: int) -> int:
    return min(a + b, CAP)


def _mul(a: int, b: int) -> int:
    return min(a * b, CAP)


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        # (fragment name, inside introspection) → its measure and response-name counts
        self.done: dict[tuple[str, bool], tuple[Measure, Counter[str]]] = {}
        self.visiting: set[str] = set()

    def selection_set(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        introspection: bool,
    ) -> tuple[Measure, Counter[str]]:
        """The measure of a selection set, and how often each response name occurs in it."""
        depth = aliases = cost = duplicates = lists = 0
        keys: Counter[str] = Counter()
        # Fragments on one concrete type apply only to items of that type: an
        # item costs the unconditional fields plus its own type's fragments.
        by_type: Counter[str] = Counter()
        if selection_set is None:
            return Measure(), keys
        for selection in selection_set.selections:
            target: GraphQLNamedType | None = parent
            if isinstance(selection, FieldNode):
                keys[(selection.alias or selection.name).value] += 1
                inner = self.field(selection, parent, introspection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                inner, inner_keys = self.selection_set(
                    selection.selection_set, target, introspection
                )
                _merge(keys, inner_keys)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                inner, inner_keys = self.spread(selection.name.value, introspection)
                _merge(keys, inner_keys)
            else:  # pragma: no cover - graphql-core has no other selections
                continue
            depth = max(depth, inner.depth)
            aliases = _add(aliases, inner.aliases)
            if isinstance(target, GraphQLObjectType) and target is not parent:
                by_type[target.name] = _add(by_type[target.name], inner.cost)
            else:
                cost = _add(cost, inner.cost)
            duplicates = max(duplicates, inner.duplicates)
            lists = max(lists, inner.introspection_lists)
        cost = _add(cost, max(by_type.values(), default=0))
        duplicates = max(duplicates, max(keys.values(), default=0))
        return Measure(depth, aliases, cost, duplicates, lists), keys

    def spread(self, name: str, introspection: bool) -> tuple[Measure, Counter[str]]:
        key = (name, introspection)
        if key in self.done:
            return self.done[key]
        fragment = self.fragments.get(name)
        if fragment is None:  # unknown fragment: validation names it
            return Measure(), Counter()
        if name in self.visiting or len(self.visiting) >= MAX_NESTING:
            raise Unmeasurable(name)
        self.visiting.add(name)
        target = self.schema.get_type(fragment.type_condition.name.value)
        result = self.selection_set(fragment.selection_set, target, introspection)
        self.visiting.discard(name)
        self.done[key] = result
        return result

    def field(
        self, node: FieldNode, parent: GraphQLNamedType | None, introspection: bool
    ) -> Measure:
        name = node.name.value
        definition = _field_definition(self.schema, parent, name)
        fixed = 0
        if name in INTROSPECTION_ROOTS:
            introspection, fixed = True, INTROSPECTION_ROOTS[name]
        child_type = get_named_type(definition.type) if definition else None
        inner, _ = self.selection_set(node.selection_set, child_type, introspection)
        lists = inner.introspection_lists
        if introspection and name in INTROSPECTION_LISTS:
            lists += 1
        size = 1 if introspection else self.list_size(node, definition)
        return Measure(
            depth=inner.depth + 1,
            aliases=_add(inner.aliases, 1 if node.alias else 0),
            cost=_add(_add(1, fixed), _mul(size, inner.cost)),
            duplicates=inner.duplicates,
            introspection_lists=lists,
        )

    def list_size(self, node: FieldNode, definition: GraphQLField | None) -> int:
        if definition is None:
            return 1
        if "first" in definition.args:
            first = self.argument(node, "first")
            if not isinstance(first, int) or isinstance(first, bool):
                return DEFAULT_PAGE_SIZE
            # outside 0..500 the resolver refuses it with BAD_USER_INPUT
            return min(max(first, 0), MAX_PAGE_SIZE)
        if "ids" in definition.args:
            ids = self.argument(node, "ids")
            return len(ids) if isinstance(ids, list) else 1
        if node.name.value == "edges":  # the connection already counted its page
            return 1
        return ASSUMED_LIST_SIZE if _is_list(definition.type) else 1

    def argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return self.value(argument.value)
        return None

    def value(self, value: ValueNode) -> Any:
        if isinstance(value, VariableNode):
            return self.variables.get(value.name.value)
        if isinstance(value, IntValueNode):
            try:
                return int(value.value)
            except ValueError:
                return None
        if isinstance(value, ListValueNode):
            return list(value.values)
        return None


def _merge(keys: Counter[str], other: Counter[str]) -> None:
    for key, count in other.items():
        keys[key] = _add(keys[key], count)


_META_FIELDS = {
    "__schema": SchemaMetaFieldDef,
    "__type": TypeMetaFieldDef,
    "__typename": TypeNameMetaFieldDef,
}


def _field_definition(
    schema: GraphQLSchema, parent: GraphQLNamedType | None, name: str
) -> GraphQLField | None:
    if name in _META_FIELDS:
        return _META_FIELDS[name]
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Any:
    return schema.get_root_type(operation.operation)


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
) -> dict[str, Measure]:
    """The measure of every operation in ``document``, by name ('' for an anonymous one).

    Raises ``Unmeasurable`` for fragments that spread themselves or chain too deep.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, variables or {})
    measures: dict[str, Measure] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = definition.name.value if definition.name else ""
            root = _root_type(schema, definition)
            measures[name], _ = walk.selection_set(definition.selection_set, root, False)
    return measures
