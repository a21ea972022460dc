"""Root fields of the maintenance funds (SPEC 3.4)."""

from __future__ import annotations

from decimal import Decimal

from propgraph.resolvers.funds.balances import total_balance
from propgraph.schema.context import Info


async def fund_balance(info: Info) -> Decimal:
    """The sum of every unit balance you may see: the city's for the city."""
    return await total_balance(info.context.db, info.context.viewer)
