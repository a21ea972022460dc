"""The repair flow over the API: the three kinds from draft to the end, to the fen."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from propgraph.models import AuditEntry, FundEntry, Notification, Todo
from tests.support.repair import (
    ACCEPT,
    PAY,
    PUBLISH,
    REFUND,
    REPAIR,
    SUBMIT,
    Repairs,
)


def actions(repair: dict) -> list[str]:
    return [t["action"] for t in repair["timeline"]]


async def test_a_normal_repair_from_draft_to_closed_and_refunded(repairs: Repairs) -> None:
    before = await repairs.balances()
    # given a normal repair of 1000.00 in three stages, voted, published, submitted, approved
    repair = await repairs.to_approved("NORMAL")
    assert repair["status"] == "APPROVED"
    assert repair["meeting"]["topics"][0]["rule"] == "DOUBLE_TWO_THIRDS"
    assert actions(repair) == [
        "repair.create",
        "repair.start_vote",
        "repair.publish",
        "repair.submit",
        "repair.approve",
    ]
    # when the manager pays stage 1 in two payments and stage 2 up to 70% exactly
    repair = await repairs.step(PAY, repair, stage=1, amount="100.00")
    repair = await repairs.step(PAY, repair, stage=1, amount="200.00")
    repair = await repairs.step(PAY, repair, stage=2, amount="400.00")
    assert (repair["status"], repair["paid"]) == ("APPROVED", "700.00")
    # then each unit paid its share in proportion, the sum exact, from its balance
    paid = await repairs.shares_paid(repair)
    assert sum(paid.values()) == Decimal("700.00")
    after = await repairs.balances()
    for unit, amount in paid.items():
        assert before[unit] - after[unit] == amount
    # when it is accepted at 950.00 and the rest is paid
    repair = await repairs.step(ACCEPT, repair, settledAmount="950.00")
    assert (repair["status"], repair["settledAmount"]) == ("ACCEPTED", "950.00")
    repair = await repairs.step(PAY, repair, stage=3, amount="250.00")
    # then it is closed, with 950.00 paid and stage 3 not paid in full
    assert (repair["status"], repair["paid"]) == ("CLOSED", "950.00")
    assert [s["paid"] for s in repair["stages"]] == ["300.00", "400.00", "250.00"]
    # when everything is refunded (清退)
    repair = await repairs.step(REFUND, repair)
    # then every fen is back where it came from and the journal shows both ways
    assert repair["paid"] == "0.00" and repair["status"] == "CLOSED"
    assert await repairs.balances() == before
    async with repairs.app.services.engine.connect() as conn:
        kinds = dict(
            (
                await conn.execute(
                    select(FundEntry.kind, func.sum(FundEntry.amount)).group_by(FundEntry.kind)
                )
            ).all()
        )
    assert {str(k): Decimal(v) for k, v in kinds.items()} == {
        "DEBIT": Decimal("950.00"),
        "REFUND": Decimal("950.00"),
    }
    # and a closed, refunded project can be cancelled
    from tests.support.repair import CANCEL

    repair = await repairs.step(CANCEL, repair, reason="施工质量不合格，已清退")
    assert repair["status"] == "CANCELLED"


async def test_an_emergency_repair_skips_the_vote(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    assert repair["meeting"] is None
    assert "repair.start_vote" not in actions(repair)
    assert repair["status"] == "APPROVED"


async def test_a_simple_repair_is_accepted_before_submission_and_pays_once(
    repairs: Repairs,
) -> None:
    repair = await repairs.to_approved("SIMPLE", budget="888.88")
    assert actions(repair)[-4:] == [
        "repair.publish",
        "repair.accept",
        "repair.submit",
        "repair.approve",
    ]
    repair = await repairs.step(PAY, repair, stage=1, amount="888.88")
    assert (repair["status"], repair["paid"]) == ("CLOSED", "888.88")
    assert sum((await repairs.shares_paid(repair)).values()) == Decimal("888.88")


async def test_a_failed_vote_ends_the_project(repairs: Repairs) -> None:
    repair = await repairs.create("NORMAL")
    repair = await repairs.vote(repair, agree=False)
    repair = await repairs.step(PUBLISH, repair)
    assert repair["status"] == "CANCELLED"
    assert actions(repair)[-1] == "repair.vote_failed"


async def test_every_step_leaves_audit_todos_and_notifications(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    async with repairs.app.services.engine.connect() as conn:
        templates = set((await conn.execute(select(Notification.template).distinct())).scalars())
        todos = (
            await conn.execute(
                select(Todo.kind, Todo.status).where(Todo.subject_type == "RepairProject")
            )
        ).all()
        audited = await conn.scalar(
            select(func.count()).where(AuditEntry.subject_type == "RepairProject")
        )
    assert {"repair.published", "repair.review_requested", "repair.approved"} <= templates
    assert ("repair.review", "DONE") in [tuple(t) for t in todos]
    assert ("repair.pay", "PENDING") in [tuple(t) for t in todos]
    assert audited == 4
    data = await repairs.app.client(repairs.cast.manager).data(REPAIR, {"id": repair["id"]})
    assert data["node"]["status"] == "APPROVED"
    _ = SUBMIT
