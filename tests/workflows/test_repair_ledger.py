"""Money adds up to the fen: racing payments, and the ledger after every operation."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from propgraph.models import FundAccount, FundEntry, RepairProject, RepairShare, RepairStage
from tests.support.repair import ACCEPT, PAY, REFUND, Repairs

FEN = Decimal("0.01")


async def test_two_payments_racing_on_the_last_fen_of_a_stage(repairs: Repairs) -> None:
    # given stage 1 with one fen left
    repair = await repairs.to_approved("EMERGENCY")
    repair = await repairs.step(PAY, repair, stage=1, amount="299.99")
    before = await repairs.balances()
    # when two payments of that fen race, both having read the same version
    input = {"id": repair["id"], "version": repair["version"], "stage": 1, "amount": "0.01"}
    answers = await asyncio.gather(
        repairs.call(repairs.cast.manager, PAY, input),
        repairs.call(repairs.cast.enterprise, PAY, input),
    )
    # then exactly one succeeds; the other is refused and wrote nothing
    ok = [a for a in answers if not a["errors"]]
    refused = [a for a in answers if a["errors"]]
    assert len(ok) == 1 and len(refused) == 1, answers
    assert refused[0]["errors"][0]["code"] in ("CONFLICT", "VALIDATION")
    assert ok[0]["repairProject"]["stages"][0]["paid"] == "300.00"
    assert await repairs.stored_paid(repair) == Decimal("300.00")
    after = await repairs.balances()
    assert sum(before.values()) - sum(after.values()) == FEN
    await assert_ledger(repairs)


async def assert_ledger(repairs: Repairs) -> None:
    """Every balance is deposits − debits + refunds, never negative, and agrees with the
    journal; each project's paid equals its shares' and its stages' at every level."""
    async with repairs.app.services.engine.connect() as conn:
        accounts = (await conn.execute(select(FundAccount))).all()
        journal = {
            (row.unit_id, str(row.kind)): row.total
            for row in await conn.execute(
                select(
                    FundEntry.unit_id, FundEntry.kind, func.sum(FundEntry.amount).label("total")
                ).group_by(FundEntry.unit_id, FundEntry.kind)
            )
        }
        projects = (await conn.execute(select(RepairProject))).all()
        shares = dict(
            (
                await conn.execute(
                    select(RepairShare.repair_project_id, func.sum(RepairShare.paid)).group_by(
                        RepairShare.repair_project_id
                    )
                )
            ).all()
        )
        stages = dict(
            (
                await conn.execute(
                    select(RepairStage.repair_project_id, func.sum(RepairStage.paid)).group_by(
                        RepairStage.repair_project_id
                    )
                )
            ).all()
        )
        per_unit_paid = dict(
            (
                await conn.execute(
                    select(RepairShare.unit_id, func.sum(RepairShare.paid)).group_by(
                        RepairShare.unit_id
                    )
                )
            ).all()
        )
    zero = Decimal("0.00")
    for a in accounts:
        assert a.balance == a.deposits - a.debits + a.refunds >= 0
        debited = journal.get((a.unit_id, "DEBIT"), zero)
        refunded = journal.get((a.unit_id, "REFUND"), zero)
        assert (a.debits, a.refunds) == (debited, refunded)
        # what is paid out of the unit now is what its shares show as paid
        assert a.debits - a.refunds == per_unit_paid.get(a.unit_id, zero)
    for p in projects:
        assert p.paid == shares[p.id] == stages[p.id]
        assert 0 <= p.paid <= (p.settled_amount or p.budget)
    # and the money adds up per level: building, project, community, street, district
    for level in ("building_id", "project_id", "community_id", "street_id", "district_id"):
        totals: dict[int, Decimal] = {}
        for a in accounts:
            key = getattr(a, level)
            totals[key] = totals.get(key, zero) + a.balance
        expected = {
            key: sum(
                (a.deposits - a.debits + a.refunds for a in accounts if getattr(a, level) == key),
                zero,
            )
            for key in totals
        }
        assert totals == expected


@pytest.mark.parametrize("seed", [7, 2026])
async def test_the_ledger_holds_after_every_operation_of_a_random_sequence(
    repairs: Repairs, seed: int
) -> None:
    rng = random.Random(seed)
    projects: list[dict[str, Any]] = []
    for kind in ("EMERGENCY", "NORMAL", "EMERGENCY"):
        budget = Decimal(rng.randint(300, 300_000)) / 100
        first = (budget * Decimal("0.3")).quantize(FEN)
        second = (budget * Decimal("0.4")).quantize(FEN)
        stages = [str(first), str(second), str(budget - first - second)]
        projects.append(await repairs.to_approved(kind, budget=str(budget), stages=stages))
    await assert_ledger(repairs)
    for _ in range(24):
        i = rng.randrange(len(projects))
        repair = projects[i]
        op = rng.choice(["pay", "pay", "pay", "accept", "refund"])
        if op == "pay":
            stage = rng.randint(1, 3)
            left = Decimal(repair["stages"][stage - 1]["amount"]) - Decimal(
                repair["stages"][stage - 1]["paid"]
            )
            cents = int(left / FEN) + rng.choice([0, 1, 5])  # sometimes more than is left
            amount = Decimal(rng.randint(1, max(cents, 1))) * FEN
            input = {"stage": stage, "amount": str(amount)}
            mutation = PAY
        elif op == "accept":
            paid = Decimal(repair["paid"])
            settled = paid + Decimal(rng.randint(1, 500_00)) * FEN
            input = {"settledAmount": str(min(settled, Decimal(repair["budget"])))}
            mutation = ACCEPT
        else:
            input = {}
            mutation = REFUND
        before = await repairs.state()
        payload = await repairs.call(
            repairs.cast.manager,
            mutation,
            {"id": repair["id"], "version": repair["version"], **input},
        )
        if payload["errors"]:
            assert payload["repairProject"] is None
            assert await repairs.state() == before  # a refusal writes nothing
        else:
            projects[i] = payload["repairProject"]
        await assert_ledger(repairs)
