"""SQL pieces every resolver shares."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any, TypeAlias

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, bindparam, func, literal_column, select
from sqlalchemy.orm import QueryableAttribute

# A column as the models give it (``Unit.building_id``) or as an expression.
ColumnLike: TypeAlias = ColumnElement[Any] | QueryableAttribute[Any]

# Below this, a plain IN (…) list; above, one parameter holding them all:
# PostgreSQL (asyncpg) refuses more than 32,767 parameters in a statement,
# SQLite more than 32,766.
INLINE_IDS = 1000


def ids_in(column: ColumnLike, ids: Collection[int], dialect: str) -> ColumnElement[bool]:
    """``column IN ids`` for any number of ids, as one bound parameter when many."""
    if len(ids) <= INLINE_IDS:
        return column.in_(list(ids))
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    rows = select(literal_column("value", Integer)).select_from(
        func.json_each(bindparam(None, json.dumps(list(ids))))
    )
    return column.in_(rows.scalar_subquery())


def group_rows(rows: Sequence[Any], key: str, keys: Sequence[int]) -> list[list[Any]]:
    """A loader's answer: for each key, in order, the rows whose ``key`` column holds it."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return [grouped[k] for k in keys]
