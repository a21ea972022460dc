"""Moving money on the unit fund accounts (SPEC 3.4), inside the caller's transaction.

Every movement updates the account's running totals and appends one
``fund_entries`` row, so ``balance = deposits - debits + refunds`` always
holds (the table's CHECK refuses anything else). A debit never overdraws:
the accounts are read, locked on PostgreSQL (``FOR UPDATE``; SQLite has one
writer at a time), and a unit short of its portion refuses the whole debit
with a typed error naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.models import FundAccount, FundEntry, Unit
from propgraph.models.base import Cents
from propgraph.models.fund import FundEntryKind
from propgraph.workflows.errors import invalid_state


async def debit(
    conn: AsyncConnection,
    amounts: Mapping[int, Decimal],
    *,
    project_id: int,
    reference: str,
    now: datetime,
) -> None:
    """Take ``amounts`` (unit → yuan) from the units' balances, all or nothing."""
    moving = {unit: amount for unit, amount in amounts.items() if amount > 0}
    if not moving:
        return
    accounts = (
        await conn.execute(
            select(FundAccount.unit_id, FundAccount.balance, Unit.number)
            .join(Unit, Unit.id == FundAccount.unit_id)
            .where(FundAccount.unit_id.in_(sorted(moving)))
            .order_by(FundAccount.unit_id)
            .with_for_update(of=FundAccount)
        )
    ).all()
    short = [a for a in accounts if a.balance < moving[a.unit_id]]
    if short or len(accounts) != len(moving):
        named = ", ".join(
            f"{a.number} (holds {a.balance}, owes {moving[a.unit_id]})" for a in short[:10]
        )
        raise invalid_state(
            f"{len(short) or len(moving) - len(accounts)} sharing unit(s) lack the fund "
            f"balance for this payment: {named}. Nothing was paid."
        )
    await _move(conn, moving, FundEntryKind.DEBIT, project_id, reference, now)


async def refund(
    conn: AsyncConnection,
    amounts: Mapping[int, Decimal],
    *,
    project_id: int,
    reference: str,
    now: datetime,
) -> None:
    """Return ``amounts`` (unit → yuan) to the units' balances."""
    moving = {unit: amount for unit, amount in amounts.items() if amount > 0}
    if moving:
        await _move(conn, moving, FundEntryKind.REFUND, project_id, reference, now)


async def _move(
    conn: AsyncConnection,
    amounts: Mapping[int, Decimal],
    kind: FundEntryKind,
    project_id: int,
    reference: str,
    now: datetime,
) -> None:
    x = bindparam("x", type_=Cents())
    column = FundAccount.debits if kind == FundEntryKind.DEBIT else FundAccount.refunds
    signed = FundAccount.balance - x if kind == FundEntryKind.DEBIT else FundAccount.balance + x
    rows = [{"u": unit, "x": amount} for unit, amount in sorted(amounts.items())]
    await conn.execute(
        update(FundAccount)
        .where(FundAccount.unit_id == bindparam("u"))
        .values({column.key: column + x, "balance": signed}),
        rows,
    )
    await conn.execute(
        insert(FundEntry),
        [
            {
                "unit_id": unit,
                "kind": kind,
                "amount": amount,
                "at": now,
                "reference": reference,
                "project_id": project_id,
            }
            for unit, amount in sorted(amounts.items())
        ],
    )
