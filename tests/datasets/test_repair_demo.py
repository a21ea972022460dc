"""The small demo dataset's repair projects: each kind in several states, the money exact."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from propgraph.db import create_engine
from propgraph.models import FundAccount, FundEntry, RepairProject, RepairShare


async def test_each_kind_stands_in_several_states_and_the_money_adds_up(
    small_db_url: str,
) -> None:
    engine = create_engine(small_db_url)
    try:
        async with engine.connect() as conn:
            repairs = (await conn.execute(select(RepairProject))).all()
            entries = dict(
                (
                    await conn.execute(
                        select(FundEntry.kind, func.sum(FundEntry.amount)).group_by(FundEntry.kind)
                    )
                ).all()
            )
            accounts = (await conn.execute(select(FundAccount))).all()
            shares = dict(
                (
                    await conn.execute(
                        select(RepairShare.repair_project_id, func.sum(RepairShare.paid)).group_by(
                            RepairShare.repair_project_id
                        )
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    states: dict[str, set[str]] = defaultdict(set)
    for r in repairs:
        states[str(r.kind)].add(str(r.status))
    assert states["NORMAL"] >= {"DRAFT", "VOTING", "APPROVED", "CLOSED", "CANCELLED"}
    assert states["EMERGENCY"] >= {"DRAFT", "SUBMITTED", "ACCEPTED", "CANCELLED"}
    assert states["SIMPLE"] >= {"DRAFT", "PUBLICITY", "CLOSED", "CANCELLED"}
    every = {"DRAFT", "VOTING", "PUBLICITY", "SUBMITTED", "APPROVED", "ACCEPTED", "CLOSED"}
    assert set().union(*states.values()) >= every | {"CANCELLED"}
    paid = sum((r.paid for r in repairs), Decimal(0))
    assert paid > 0
    zero = Decimal(0)
    assert entries.get("DEBIT", zero) - entries.get("REFUND", zero) == paid
    assert all(r.paid == shares[r.id] for r in repairs)
    assert all(a.balance == a.deposits - a.debits + a.refunds >= 0 for a in accounts)
