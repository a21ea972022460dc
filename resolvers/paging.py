"""Paging in SQL: LIMIT/OFFSET for root lists, window functions for nested ones.

A nested connection (``street.communities`` for fifty streets at once) is one
statement: ``ROW_NUMBER() OVER (PARTITION BY parent)`` picks each parent's
page and ``COUNT(*) OVER (PARTITION BY parent)`` its total, so the statement
count does not grow with the number of parents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graphql import GraphQLError
from sqlalchemy import Select, func, select

from propgraph.db import RequestDB
from propgraph.resolvers.sql import ColumnLike, ids_in

# Nested pages multiply: 50 of 50 of 50 … is millions of rows. A request may
# fetch at most this many; pages reserve their upper bound before running.
MAX_ROWS_PER_REQUEST = 100_000

Row = TypeVar("Row")


@dataclass(frozen=True)
class PageArgs:
    first: int
    offset: int


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: Sequence[Row]
    total: int
    offset: int
    has_next: bool


def reserve_rows(db: RequestDB, rows: int) -> None:
    """Count ``rows`` against the request's budget; refuse the request past it."""
    db.rows_reserved += rows
    if db.rows_reserved > MAX_ROWS_PER_REQUEST:
        raise GraphQLError(
            f"This request would read more than {MAX_ROWS_PER_REQUEST:,} rows. "
            "Ask for smaller pages (`first`) in nested lists.",
            extensions={"code": "TOO_MANY_ROWS"},
        )


async def fetch_page(
    db: RequestDB, query: Select[*tuple[Any, ...]], order: Any, args: PageArgs
) -> Page[Any]:
    """One page of a root list, with its total from the same statement."""
    reserve_rows(db, args.first + 1)
    total = func.count().over().label("page_total")
    rows = await db.all(
        query.add_columns(total).order_by(order).limit(args.first + 1).offset(args.offset)
    )
    if rows:
        count = rows[0].page_total
    elif args.offset:  # past the end: the window saw no rows, count separately
        count = await db.scalar(select(func.count()).select_from(query.subquery()))
    else:
        count = 0
    return Page(rows[: args.first], count, args.offset, len(rows) > args.first)


async def fetch_pages(
    db: RequestDB,
    query: Select[*tuple[Any, ...]],
    parent: ColumnLike,
    order: Any,
    parent_ids: Sequence[int],
    args: PageArgs,
) -> dict[int, Page[Any]]:
    """The same page of a child list for many parents, in one statement."""
    reserve_rows(db, len(parent_ids) * (args.first + 1))
    ranked = (
        query.add_columns(
            parent.label("page_parent"),
            func.row_number().over(partition_by=parent, order_by=order).label("page_rank"),
            func.count().over(partition_by=parent).label("page_total"),
        )
        .where(ids_in(parent, parent_ids, db.dialect))
        .subquery()
    )
    rows = await db.all(
        select(ranked)
        .where(ranked.c.page_rank > args.offset, ranked.c.page_rank <= args.offset + args.first + 1)
        .order_by(ranked.c.page_parent, ranked.c.page_rank)
    )
    grouped: dict[int, list[Any]] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in rows:
        grouped[row.page_parent].append(row)
        totals[row.page_parent] = row.page_total
    missing = [pid for pid in parent_ids if pid not in totals]
    if missing and args.offset:  # pages past the end still report their totals
        totals.update(await _count_by_parent(db, query, parent, missing))
    return {
        pid: Page(
            grouped[pid][: args.first],
            totals.get(pid, 0),
            args.offset,
            len(grouped[pid]) > args.first,
        )
        for pid in parent_ids
    }


async def _count_by_parent(
    db: RequestDB, query: Select[*tuple[Any, ...]], parent: ColumnLike, parent_ids: Sequence[int]
) -> dict[int, int]:
    sub = (
        query.add_columns(parent.label("page_parent"))
        .where(ids_in(parent, parent_ids, db.dialect))
        .subquery()
    )
    rows = await db.all(select(sub.c.page_parent, func.count()).group_by(sub.c.page_parent))
    return {row[0]: row[1] for row in rows}
