"""How each field is read in SQL: the declarations areas make for their types.

A type's shape maps its GraphQL field names to one of the classes below.
``register_type`` is called by each area beside its loaders (the graph's in
``resolvers/graph/compiled.py``); a field missing from its type's shape
makes the operation fall back to the resolvers.

Every shape receives the alias of the row it reads from (``row``) and the
field being planned, and returns a SQL expression whose value is the field's
JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from graphql import GraphQLError, GraphQLNonNull, GraphQLObjectType, get_named_type
from sqlalchemy import Select

from propgraph.authz.masking import MASKS, mask_middle_sql
from propgraph.authz.viewer import Viewer
from propgraph.resolvers.compiled.sql import (
    UNPLANNED_JSON,
    NotCompilable,
    cursor,
    global_id,
    json_object,
    string,
)
from propgraph.resolvers.graph.kinds import NodeKind
from propgraph.schema.relay import from_global_id, page_args

if TYPE_CHECKING:
    from propgraph.resolvers.compiled.planner import Planned, Planner


class Shape(Protocol):
    def sql(self, plan: Planner, row: str, field: Planned) -> str: ...


@dataclass(frozen=True)
class TypeShape:
    kind: NodeKind | None  # the table behind a node type, for ``node(id:)``
    fields: dict[str, Shape]


SHAPES: dict[str, TypeShape] = {}


def register_type(name: str, fields: dict[str, Shape], kind: NodeKind | None = None) -> None:
    """Declare (more) fields of a type: areas add theirs to ``Query`` and the graph's types."""
    known = SHAPES.get(name)
    if known is not None:
        fields = {**known.fields, **fields}
        kind = kind or known.kind
    SHAPES[name] = TypeShape(kind, fields)


# --- leaves -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the row, as it is (text, integers, enums by name, booleans)."""

    name: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return f"{row}.{self.name}"


@dataclass(frozen=True)
class ScaledFloat:
    """A ``ScaledDecimal`` column answered as a GraphQL Float (``float(Decimal)``)."""

    name: str
    scale: int = 2

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return f"({row}.{self.name}::numeric / {10**self.scale})::float8"


@dataclass(frozen=True)
class ScaledText:
    """A ``ScaledDecimal`` column answered as a GraphQL Decimal: ``str(Decimal)``."""

    name: str
    scale: int = 2

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return f"round({row}.{self.name}::numeric / {10**self.scale}, {self.scale})::text"


@dataclass(frozen=True)
class Timestamp:
    """A ``UTCDateTime`` column as Strawberry writes it: ``datetime.isoformat()`` in UTC."""

    name: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        value = f"{row}.{self.name}"
        utc = f"({value} AT TIME ZONE 'UTC')"
        micro = f"(extract(microseconds FROM {value}) % 1000000)"
        return (
            f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
            f"|| CASE WHEN {micro} = 0 THEN '' ELSE to_char({utc}, '.US') END || '+00:00'"
        )


@dataclass(frozen=True)
class Day:
    """A date column as ``date.isoformat()``."""

    name: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return f"to_char({row}.{self.name}, 'YYYY-MM-DD')"


@dataclass(frozen=True)
class Expression:
    """A value computed from the row's columns, e.g. ``{row}.area <> {row}.recorded_area``."""

    template: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return self.template.format(row=row)


@dataclass(frozen=True)
class GlobalId:
    type_name: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return global_id(self.type_name, f"{row}.id")


@dataclass(frozen=True)
class Masked:
    """A personal value, masked where the role's policy says so (``authz/masking.py``)."""

    column: str
    kind: str  # a key of MASKS
    policy_field: str  # "Owner.phone"

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        value = f"{row}.{self.column}"
        if plan.viewer.policy.masks(self.policy_field):
            return mask_middle_sql(value, *MASKS[self.kind])
        return value


@dataclass(frozen=True)
class Embedded:
    """An object type filled from the same row (``Project.region``)."""

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        return plan.object_sql(field, field.object_type, row)


# --- relations ----------------------------------------------------------------


@dataclass(frozen=True)
class Parent:
    """The one visible row of ``kind`` whose id the row's ``foreign_key`` holds."""

    kind: NodeKind
    foreign_key: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        sql = _row_by_key(plan, self.kind, field, field.object_type, f"{row}.{self.foreign_key}")
        if isinstance(field.definition.type, GraphQLNonNull):
            # Not visible where the schema promises a value: the resolvers say what that is.
            return plan.unplanned_if_null(sql)
        return sql


@dataclass(frozen=True)
class Linked:
    """A list through a link table, e.g. a unit's owners: ``source`` carries ``link``."""

    source: Callable[[Viewer], Select[*tuple[Any, ...]]]
    link: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        alias = plan.alias()
        source = plan.source(self.source(plan.viewer))
        obj = plan.object_sql(field.item(), field.object_type, alias)
        return (
            f"(SELECT coalesce(json_agg({obj} ORDER BY {alias}.id), '[]'::json) "
            f"FROM ({source}) AS {alias} WHERE {alias}.{self.link} = {row}.id)"
        )


@dataclass(frozen=True)
class Page:
    """A connection: one page of ``kind`` (of the row's children when ``parent``)."""

    kind: NodeKind
    parent: str | None = None  # the children's column holding the row's id
    # Extra predicates from the field's ``filter_argument`` (its value is part of the plan).
    filter: Callable[[Any], list[Any]] | None = None
    descending: bool = False
    filter_argument: str = "filter"
    # Or the rows themselves from the viewer and that argument, where it narrows
    # the rule itself (a to-do list of one status: ``todos_in``).
    rows: Callable[[Viewer, Any], Select[*tuple[Any, ...]]] | None = None

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        first_arg = plan.argument(field, "first")
        after_arg = plan.argument(field, "after")
        page_args(first_arg.current, after_arg.current)  # refuses bad input now: resolvers answer

        def page(variables: dict[str, Any]) -> Any:
            return page_args(first_arg.value(variables), after_arg.value(variables))

        if self.rows is not None:
            query = self.rows(plan.viewer, plan.shape_argument(field, self.filter_argument))
        else:
            query = self.kind.scoped(plan.viewer)
        if self.filter is not None:
            for predicate in self.filter(plan.shape_argument(field, self.filter_argument)):
                query = query.where(predicate)
        plan.enter_page(lambda v: page(v).first)
        try:
            return self._page_sql(plan, row, field, query, page)
        finally:
            plan.leave_page()

    def _page_sql(
        self, plan: Planner, row: str, field: Planned, query: Any, page: Callable[..., Any]
    ) -> str:
        params = plan.params
        first = params.lazy(lambda v, _s: page(v).first, "::int")
        offset = params.lazy(lambda v, _s: page(v).offset, "::int")
        limit = params.lazy(lambda v, _s: page(v).first + 1, "::int")
        upto = params.lazy(lambda v, _s: page(v).offset + page(v).first, "::int")
        rows, ranked = plan.alias(), plan.alias()

        def where(alias: str) -> str:
            return f"WHERE {alias}.{self.parent} = {row}.id" if self.parent else ""

        def by_id(alias: str) -> str:
            return f"{alias}.id DESC" if self.descending else f"{alias}.id"

        fields = plan.subfields(field)
        # Row numbers are for cursors and pageInfo; a page that asks for neither
        # reads its rows as they are (a window and a second sort fewer per page).
        ranks = any(
            sub.name == "pageInfo"
            or (
                sub.name == "edges"
                and any(e.name == "cursor" for _, e in plan.subfields(sub.item(), sub.object_type))
            )
            for _, sub in fields
        )

        def in_page() -> str:
            return f"{ranked}.pg_rn <= {upto()}"

        pairs = []
        for key, sub in fields:
            name = sub.name
            if name == "__typename":
                pairs.append((key, string(field.object_type.name)))
            elif name == "totalCount":
                # Counted apart: a window count would read every child before the LIMIT.
                counted = plan.alias()
                count_source = plan.source(query)
                pairs.append(
                    (key, f"(SELECT count(*) FROM ({count_source}) AS {counted} {where(counted)})")
                )
            elif name == "edges":
                extra = {"node": lambda f: plan.object_sql(f, f.object_type, ranked)}
                if ranks:
                    extra["cursor"] = lambda _f: cursor(f"{ranked}.pg_rn - 1")
                edge = plan.object_sql(sub.item(), sub.object_type, ranked, extra=extra)
                aggregated = (
                    f"json_agg({edge} ORDER BY {ranked}.pg_rn) FILTER (WHERE {in_page()})"
                    if ranks
                    else f"json_agg({edge} ORDER BY {by_id(ranked)})"
                )
                pairs.append((key, f"coalesce({aggregated}, '[]'::json)"))
            elif name == "pageInfo":
                some = f"count(*) FILTER (WHERE {in_page()}) > 0"
                info = {
                    "hasNextPage": f"count(*) > {first()}",
                    "hasPreviousPage": f"{offset()} > 0",
                    "startCursor": (
                        f"CASE WHEN {some} THEN {cursor(f'min({ranked}.pg_rn) - 1')} END"
                    ),
                    "endCursor": (
                        f"CASE WHEN {some} THEN "
                        f"{cursor(f'max({ranked}.pg_rn) FILTER (WHERE {in_page()}) - 1')} END"
                    ),
                }
                pairs.append(
                    (key, plan.object_sql(sub, sub.object_type, ranked, extra=_constants(info)))
                )
            else:
                raise NotCompilable(f"connection field {name}")
        source = plan.source(query)
        if not ranks:
            return (
                f"(SELECT {json_object(pairs)} FROM (SELECT {rows}.* "
                f"FROM ({source}) AS {rows} {where(rows)} ORDER BY {by_id(rows)} "
                f"LIMIT {first()} OFFSET {offset()}) AS {ranked} GROUP BY ())"  # one row, always
            )
        return (
            f"(SELECT {json_object(pairs)} FROM (SELECT {rows}.*, "
            f"row_number() OVER (ORDER BY {by_id(rows)}) AS pg_rn "
            f"FROM ({source}) AS {rows} {where(rows)} ORDER BY {by_id(rows)} "
            f"LIMIT {limit()} OFFSET {offset()}) AS {ranked} GROUP BY ())"  # one row, always
        )


def _constants(sql_by_field: dict[str, str]) -> dict[str, Callable[[Planned], str]]:
    return {name: _constant(sql) for name, sql in sql_by_field.items()}


def _constant(sql: str) -> Callable[[Planned], str]:
    return lambda _f: sql


@dataclass(frozen=True)
class Subject:
    """A node named by two columns of the row (type name, key), as ``load_node`` does:
    null when the type is no node type of the role or the row is not visible."""

    type_column: str
    key_column: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        from propgraph.schema.nodes import NODE_TYPES

        branches = []
        for type_name in sorted(NODE_TYPES):
            object_type = plan.schema.type_map.get(type_name)
            if not isinstance(object_type, GraphQLObjectType):
                continue  # not in this role's schema: null
            shape = SHAPES.get(type_name)
            if shape is None or shape.kind is None:
                value = UNPLANNED_JSON  # such a subject sends the operation to the resolvers
            else:
                key = f"{row}.{self.key_column}"
                value = _row_by_key(plan, shape.kind, field, object_type, key)
            branches.append(f"WHEN {string(type_name)} THEN {value}")
        if not branches:
            return "NULL"
        return f"CASE {row}.{self.type_column} {' '.join(branches)} END"


@dataclass(frozen=True)
class NodeById:
    """``node(id:)``: the concrete type comes from the id (part of the plan's key)."""

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        id_arg = plan.argument(field, "id", fingerprint=_id_type)
        shape, object_type = _node_shape(plan, _id_type(id_arg.current))
        if shape is None or object_type is None:
            return "NULL"  # not an id of a node type this role has

        def pk(variables: dict[str, Any], _viewer: Any) -> int:
            decoded = from_global_id(id_arg.value(variables))
            assert decoded is not None  # same type as planned: the fingerprint says so
            return decoded[1]

        assert shape.kind is not None  # _node_shape refuses a shape without one
        return _row_by_key(plan, shape.kind, field, object_type, plan.params.add(pk, "::int"))


@dataclass(frozen=True)
class NodesByIds:
    """``nodes(ids:)``: one branch per type named by the ids (the set of types is the key)."""

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        from propgraph.schema.nodes import MAX_NODES

        ids_arg = plan.argument(field, "ids", fingerprint=_id_types)
        if ids_arg.current is None or len(ids_arg.current) > MAX_NODES:
            raise NotCompilable("too many ids: the resolvers refuse them")

        def count(variables: dict[str, Any], _viewer: Any) -> int:
            ids = ids_arg.value(variables)
            if len(ids) > MAX_NODES:
                raise GraphQLError("too many ids")  # the resolvers answer, with their error
            return len(ids)

        params = plan.params
        branches = []
        for type_name in _id_types(ids_arg.current):
            shape, object_type = _node_shape(plan, type_name)
            if shape is None or object_type is None:
                continue  # ids of no node type of this role: null, as the resolvers say

            def positions(variables: dict[str, Any], _s: Any, t: str = type_name) -> list[int]:
                return [i for i, ref in enumerate(_refs(ids_arg.value(variables))) if ref[0] == t]

            def keys(variables: dict[str, Any], _s: Any, t: str = type_name) -> list[int]:
                return [ref[1] for ref in _refs(ids_arg.value(variables)) if ref[0] == t]

            alias, wanted = plan.alias(), plan.alias()
            assert shape.kind is not None  # _node_shape refuses a shape without one
            source = plan.source(shape.kind.scoped(plan.viewer))
            obj = plan.object_sql(field.item(), object_type, alias)
            branches.append(
                f"SELECT {wanted}.ord, {obj} AS obj FROM ({source}) AS {alias} "
                f"JOIN unnest({params.add(keys, '::int[]')}, {params.add(positions, '::int[]')}) "
                f"AS {wanted}(id, ord) ON {alias}.id = {wanted}.id"
            )
        found = " UNION ALL ".join(branches) or "SELECT NULL::int AS ord, NULL::json AS obj LIMIT 0"
        slots, matched = plan.alias(), plan.alias()
        return (
            f"(SELECT coalesce(json_agg({matched}.obj ORDER BY {slots}.ord), '[]'::json) "
            f"FROM generate_series(0, {params.add(count, '::int')} - 1) AS {slots}(ord) "
            f"LEFT JOIN ({found}) AS {matched} ON {matched}.ord = {slots}.ord)"
        )


def _row_by_key(
    plan: Planner, kind: NodeKind, field: Planned, object_type: GraphQLObjectType, key: str
) -> str:
    """The JSON of the one row of ``kind`` the viewer may see whose id is ``key``; else null."""
    alias = plan.alias()
    source = plan.source(kind.scoped(plan.viewer))
    obj = plan.object_sql(field, object_type, alias)
    return f"(SELECT {obj} FROM ({source}) AS {alias} WHERE {alias}.id = {key})"


def _node_shape(
    plan: Planner, type_name: str | None
) -> tuple[TypeShape | None, GraphQLObjectType | None]:
    """The shape and schema type of a node type the role has; (None, None) if none."""
    from propgraph.schema.nodes import NODE_TYPES

    object_type = plan.schema.type_map.get(type_name or "")
    if type_name not in NODE_TYPES or not isinstance(object_type, GraphQLObjectType):
        return None, None
    shape = SHAPES.get(type_name)
    if shape is None or shape.kind is None:
        raise NotCompilable(f"{type_name} has no SQL shape")
    return shape, object_type


def _refs(ids: list[Any]) -> list[tuple[str | None, int]]:
    refs: list[tuple[str | None, int]] = []
    for value in ids:
        decoded = from_global_id(value) if isinstance(value, str) else None
        refs.append(decoded if decoded else (None, 0))
    return refs


def _id_types(ids: Any) -> tuple[str, ...]:
    return tuple(sorted({t for t, _ in _refs(ids or []) if t is not None}))


def _id_type(value: Any) -> str | None:
    return _refs([value])[0][0]


@dataclass(frozen=True)
class Figures:
    """Drill-down figures: from the ``node_stats`` rollup for viewers who see the
    node's whole subtree (``Scope.sees_whole_subtree``), as the loaders do, and
    counted live, inside the viewer's scope, for anyone else or a node missing
    from the rollup."""

    level: str
    live: Callable[
        [Any, str, str], Select[*tuple[Any, ...]]
    ]  # (scope, level, node id SQL) → one row

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        alias = plan.alias()
        obj = plan.object_sql(field, field.object_type, alias)
        live = plan.source(self.live(plan.viewer.scope, self.level, f"{row}.id"))
        if not plan.viewer.scope.sees_whole_subtree(self.level):
            return f"(SELECT {obj} FROM ({live}) AS {alias})"
        return (
            f"coalesce((SELECT {obj} FROM node_stats AS {alias} "
            f"WHERE {alias}.level = {string(self.level)} AND {alias}.node_id = {row}.id), "
            f"(SELECT {obj} FROM ({live}) AS {alias}))"
        )


def named_object(definition_type: Any) -> GraphQLObjectType:
    named = get_named_type(definition_type)
    if not isinstance(named, GraphQLObjectType):
        raise NotCompilable(f"{named} is abstract")
    return named


__all__ = [
    "SHAPES",
    "Column",
    "Day",
    "Embedded",
    "Expression",
    "Figures",
    "GlobalId",
    "Linked",
    "Masked",
    "NodeById",
    "NodesByIds",
    "Page",
    "Parent",
    "ScaledFloat",
    "ScaledText",
    "Shape",
    "Subject",
    "Timestamp",
    "TypeShape",
    "register_type",
]
