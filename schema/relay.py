"""Relay conventions: Node, opaque global ids, and offset connections.

We keep our own small implementation instead of ``strawberry.relay``: its
field extensions mutate fields while a schema is built, which breaks when
one set of types is built into nine role schemas (NOTES.md), and its
connections slice in Python after fetching.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from propgraph.resolvers.paging import Page, PageArgs

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
CURSOR_PREFIX = "cursor:"
# Keys are INTEGER columns on both databases: a larger key names no row, and
# PostgreSQL (asyncpg) and SQLite refuse to bind it at all.
MAX_KEY = 2**31 - 1
# No list holds more rows than there are keys, so no cursor of ours points
# further; the bound keeps ``offset + first + 1`` within INTEGER too.
MAX_OFFSET = MAX_KEY - MAX_PAGE_SIZE - 2

T = TypeVar("T")
Row = TypeVar("Row")


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id; use it with `node(id:)`.")


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode())


def _decimal(text: str) -> int | None:
    """A non-negative integer written in ASCII digits, or None."""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_KEY)):
        return None
    return int(text)


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """``(type name, primary key)``, or None for anything that is not one of ours.

    A key beyond the columns' range is not one of ours either: it answers
    like any unknown id instead of failing in the database driver.
    """
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode()).decode()
    except (binascii.Error, ValueError):  # UnicodeError is a ValueError
        return None
    type_name, _, digits = decoded.partition(":")
    pk = _decimal(digits)
    if not type_name or pk is None or pk > MAX_KEY:
        return None
    return type_name, pk


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


@lru_cache(maxsize=4096)  # every page of every parent repeats the same few offsets
def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, ValueError):  # UnicodeError is a ValueError
        decoded = ""
    prefix, digits = decoded[: len(CURSOR_PREFIX)], decoded[len(CURSOR_PREFIX) :]
    offset = _decimal(digits) if prefix == CURSOR_PREFIX else None
    if offset is None or offset > MAX_OFFSET:
        raise bad_input("`after` is not a cursor from this connection.")
    return offset


def page_args(first: int | None, after: str | None) -> PageArgs:
    """Validate ``first``/``after``: at most 500 per page, 50 by default."""
    if first is None:
        first = DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise bad_input(f"`first` must be between 0 and {MAX_PAGE_SIZE}.")
    offset = decode_cursor(after) + 1 if after else 0
    return PageArgs(first=first, offset=offset)


@strawberry.type(description="Where a page of a connection stands.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="This page of the list.")
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="How many items the whole list holds, for this viewer."
    )

    @classmethod
    def from_page(cls, page: Page[Any], make: Callable[[Any], T]) -> Connection[T]:
        return cls.of_nodes(page, [make(row) for row in page.rows])

    @classmethod
    def of_nodes(cls, page: Page[Any], nodes: list[T]) -> Connection[T]:
        """The connection of a page whose rows are already made into ``nodes``."""
        edges = [
            Edge(cursor=encode_cursor(page.offset + i), node=node) for i, node in enumerate(nodes)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )


@dataclass(frozen=True)
class NodeRef:
    """A node's type and key, decoded from a global id."""

    type_name: str
    pk: int


def decode_ids(ids: Sequence[str]) -> list[NodeRef | None]:
    refs = []
    for global_id in ids:
        decoded = from_global_id(global_id)
        refs.append(NodeRef(*decoded) if decoded else None)
    return refs
