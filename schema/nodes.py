"""``node(id:)`` and ``nodes(ids:)``: any node by global id, inside the viewer's scope.

Every area registers its node types here. An id outside the scope, of a type
missing from the caller's schema, or not ours at all, answers ``null``: the
three are indistinguishable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError

from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import NodeKind
from propgraph.schema.context import Info
from propgraph.schema.relay import MAX_PAGE_SIZE, Node, decode_ids

MAX_NODES = 2 * MAX_PAGE_SIZE


@dataclass(frozen=True)
class NodeType:
    kind: NodeKind
    make: Callable[[Any], Node]


NODE_TYPES: dict[str, NodeType] = {}


def register_node(kind: NodeKind, make: Callable[[Any], Node]) -> None:
    NODE_TYPES[kind.name] = NodeType(kind, make)


async def _load(info: Info, global_ids: list[strawberry.ID]) -> list[Node | None]:
    type_map = info._raw_info.schema.type_map  # this role's schema
    loaders = info.context.loaders
    refs = decode_ids(global_ids)
    results: list[Any] = []
    for ref in refs:
        node_type = NODE_TYPES.get(ref.type_name) if ref else None
        if ref is None or node_type is None or ref.type_name not in type_map:
            results.append(None)
        else:
            results.append(loaders.get(NodeByIdLoader, node_type.kind).load(ref.pk))
    # Loads of one kind are batched into one statement by the loaders.
    resolved: list[Node | None] = []
    for ref, pending in zip(refs, results, strict=True):
        if pending is None:
            resolved.append(None)
            continue
        row = await pending
        resolved.append(NODE_TYPES[ref.type_name].make(row) if row else None)  # type: ignore[union-attr]
    return resolved


async def load_node(info: Info, type_name: str, pk: int) -> Node | None:
    """One node by type and key, scoped; None if unknown, hidden or not visible."""
    node_type = NODE_TYPES.get(type_name)
    if node_type is None or type_name not in info._raw_info.schema.type_map:
        return None
    row = await info.context.loaders.get(NodeByIdLoader, node_type.kind).load(pk)
    return node_type.make(row) if row else None


async def node(
    info: Info,
    id: strawberry.ID,
) -> Node | None:
    return (await _load(info, [id]))[0]


async def nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    if len(ids) > MAX_NODES:
        raise GraphQLError(
            f"`nodes` takes at most {MAX_NODES} ids.", extensions={"code": "BAD_USER_INPUT"}
        )
    return await _load(info, ids)
