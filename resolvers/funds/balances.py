"""Fund balances rolled up per hierarchy node, counted in SQL within the viewer's scope.

A node's balance is the sum of the balances of the unit accounts under it
that the viewer may see (authz/scope.py ``fund_accounts``): an office's
district is its whole subtree, an owner's project only its own units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from strawberry.dataloader import DataLoader

from propgraph.authz.scope import Scope
from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import FundAccount
from propgraph.resolvers.sql import ColumnLike, ids_in

# The account column that names a node of each level.
LEVEL_KEYS: dict[str, ColumnLike] = {
    "unit": FundAccount.unit_id,
    "building": FundAccount.building_id,
    "project": FundAccount.project_id,
    "community": FundAccount.community_id,
    "street": FundAccount.street_id,
    "district": FundAccount.district_id,
}

ZERO = Decimal("0.00")


def balances_statement(
    scope: Scope, level: str, ids: list[int], dialect: str
) -> Select[*tuple[Any, ...]]:
    """(key, balance) of each node of ``level`` in ``ids``, one GROUP BY."""
    key = LEVEL_KEYS[level]
    return (
        select(key.label("key"), func.sum(FundAccount.balance).label("balance"))
        .where(ids_in(key, ids, dialect), scope.fund_accounts())
        .group_by(key)
    )


def total_statement(scope: Scope) -> Select[*tuple[Any, ...]]:
    """The sum of every balance the viewer sees (the city's, for the city)."""
    return select(func.coalesce(func.sum(FundAccount.balance), 0)).where(scope.fund_accounts())


def as_money(summed: Decimal | None) -> Decimal:
    """A SUM keeps the column's type (fen read back as yuan); nothing visible is 0.00."""
    return ZERO if summed is None else summed.quantize(ZERO)


class FundBalanceByNodeLoader(DataLoader[int, Decimal]):
    """Balances of many nodes of one level in one statement; 0 where nothing is visible."""

    def __init__(self, db: RequestDB, viewer: Viewer, level: str) -> None:
        async def load(ids: list[int]) -> list[Decimal]:
            rows = await db.all(balances_statement(viewer.scope, level, ids, db.dialect))
            found = {row.key: as_money(row.balance) for row in rows}
            return [found.get(pk, ZERO) for pk in ids]

        super().__init__(load_fn=load)


async def total_balance(db: RequestDB, viewer: Viewer) -> Decimal:
    return as_money(await db.scalar(total_statement(viewer.scope)))
