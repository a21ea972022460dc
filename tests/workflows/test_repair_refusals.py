"""Every refusal of the repair flow is one typed error and writes nothing (SPEC 3.4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from propgraph.models import FundAccount, RepairShare
from propgraph.schema.relay import from_global_id, to_global_id
from tests.support.repair import (
    ACCEPT,
    CANCEL,
    CREATE,
    PAY,
    PUBLISH,
    REFUND,
    REVIEW,
    START_VOTE,
    SUBMIT,
    Repairs,
)


async def refused(
    repairs: Repairs,
    mutation: str,
    repair: dict[str, Any],
    code: str,
    field: str | None = None,
    username: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The call gets exactly one error ``code`` (on ``field``) and changes no table."""
    before = await repairs.state()
    payload = await repairs.call(
        username or repairs.cast.manager,
        mutation,
        {"id": repair["id"], "version": repair["version"], **extra},
    )
    assert payload["repairProject"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], payload
    assert await repairs.state() == before
    return payload["errors"][0]


@pytest.mark.parametrize(
    ("amount", "field_code"),
    [
        ("100.001", "VALIDATION"),
        ("0", "VALIDATION"),
        ("0.00", "VALIDATION"),
        ("-1.00", "VALIDATION"),
        ("300.01", "VALIDATION"),  # over what remains of stage 1 (300.00)
    ],
)
async def test_bad_payment_amounts(repairs: Repairs, amount: str, field_code: str) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    await refused(repairs, PAY, repair, field_code, "amount", stage=1, amount=amount)


async def test_an_unknown_stage_is_refused(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    for stage in (0, 4, -1):
        await refused(repairs, PAY, repair, "VALIDATION", "stage", stage=stage, amount="1.00")


async def test_the_70_percent_rule_exactly_70_passes_one_fen_over_is_refused(
    repairs: Repairs,
) -> None:
    # given 1000.00 planned as 300 + 400 + 300, approved, not accepted
    repair = await repairs.to_approved("EMERGENCY")
    repair = await repairs.step(PAY, repair, stage=1, amount="300.00")
    repair = await repairs.step(PAY, repair, stage=2, amount="399.99")
    # when one more fen would take it past 70%... it is exactly 70%: it passes
    repair = await repairs.step(PAY, repair, stage=2, amount="0.01")
    assert repair["paid"] == "700.00"
    # and the last stage waits for the acceptance, even for one fen
    error = await refused(repairs, PAY, repair, "INVALID_STATE", stage=3, amount="0.01")
    assert "acceptance" in error["message"]


async def test_one_fen_past_70_percent_is_refused(repairs: Repairs) -> None:
    repair = await repairs.to_approved(
        "EMERGENCY", stages=["300.00", "400.01", "299.99"], budget="1000.00"
    )
    repair = await repairs.step(PAY, repair, stage=1, amount="300.00")
    error = await refused(repairs, PAY, repair, "INVALID_STATE", stage=2, amount="400.01")
    assert "70%" in error["message"]
    repair = await repairs.step(PAY, repair, stage=2, amount="400.00")
    assert repair["paid"] == "700.00"


async def test_paying_before_approval_is_refused(repairs: Repairs) -> None:
    repair = await repairs.create("EMERGENCY")
    await refused(repairs, PAY, repair, "INVALID_STATE", stage=1, amount="1.00")
    repair = await repairs.step(PUBLISH, repair)
    await refused(repairs, PAY, repair, "INVALID_STATE", stage=1, amount="1.00")
    repair = await repairs.step(SUBMIT, repair)
    await refused(repairs, PAY, repair, "INVALID_STATE", stage=1, amount="1.00")


async def test_after_acceptance_payments_stop_at_the_settled_amount(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    repair = await repairs.step(PAY, repair, stage=1, amount="300.00")
    await refused(repairs, ACCEPT, repair, "VALIDATION", "settledAmount", settledAmount="300.00")
    await refused(repairs, ACCEPT, repair, "VALIDATION", "settledAmount", settledAmount="1000.01")
    await refused(repairs, ACCEPT, repair, "VALIDATION", "settledAmount", settledAmount="1.001")
    repair = await repairs.step(ACCEPT, repair, settledAmount="500.00")
    await refused(repairs, PAY, repair, "VALIDATION", "amount", stage=2, amount="200.01")
    repair = await repairs.step(PAY, repair, stage=2, amount="200.00")
    assert repair["status"] == "CLOSED"
    await refused(repairs, PAY, repair, "INVALID_STATE", stage=3, amount="0.01")


async def test_a_simple_project_pays_once_exactly_its_budget(repairs: Repairs) -> None:
    repair = await repairs.to_approved("SIMPLE", budget="500.00")
    await refused(repairs, PAY, repair, "VALIDATION", "amount", stage=1, amount="499.99")
    repair = await repairs.step(PAY, repair, stage=1, amount="500.00")
    assert repair["status"] == "CLOSED"
    await refused(repairs, PAY, repair, "INVALID_STATE", stage=1, amount="500.00")


async def test_a_simple_project_settles_at_its_budget_and_is_accepted_before_submission(
    repairs: Repairs,
) -> None:
    repair = await repairs.create("SIMPLE", budget="500.00")
    repair = await repairs.vote(repair)
    repair = await repairs.step(PUBLISH, repair)
    await refused(repairs, SUBMIT, repair, "INVALID_STATE")
    await refused(repairs, ACCEPT, repair, "VALIDATION", "settledAmount", settledAmount="499.00")


async def test_a_simple_project_has_one_stage(repairs: Repairs) -> None:
    before = await repairs.state()
    payload = await repairs.call(
        repairs.cast.manager,
        CREATE,
        {
            "projectId": repairs.cast.project_id,
            "kind": "SIMPLE",
            "title": "屋面防水",
            "facilities": ["屋面"],
            "budget": "100.00",
            "unitIds": [to_global_id("Unit", u) for u in await repairs.units()],
            "stages": [{"name": "一", "amount": "50.00"}, {"name": "二", "amount": "50.00"}],
        },
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", "stages")]
    assert await repairs.state() == before


async def test_refunding_twice_and_cancelling_with_money_paid_are_refused(
    repairs: Repairs,
) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    await refused(repairs, REFUND, repair, "INVALID_STATE")  # nothing paid yet
    repair = await repairs.step(PAY, repair, stage=1, amount="123.45")
    await refused(repairs, CANCEL, repair, "INVALID_STATE", reason="超期")
    repair = await repairs.step(REFUND, repair)
    await refused(repairs, REFUND, repair, "INVALID_STATE")
    repair = await repairs.step(CANCEL, repair, reason="超期")
    assert repair["status"] == "CANCELLED"
    await refused(repairs, PAY, repair, "INVALID_STATE", stage=1, amount="1.00")


async def test_a_stale_version_is_a_conflict(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    await repairs.step(PAY, repair, stage=1, amount="1.00")
    await refused(repairs, PAY, repair, "CONFLICT", "version", stage=1, amount="1.00")


async def test_vote_rules(repairs: Repairs) -> None:
    emergency = await repairs.create("EMERGENCY")
    starts = "2020-03-01T10:00:00+08:00"
    ends = "2020-03-08T10:00:00+08:00"
    await refused(
        repairs, START_VOTE, emergency, "INVALID_STATE", votingStartsAt=starts, votingEndsAt=ends
    )
    normal = await repairs.create("NORMAL")
    await refused(repairs, PUBLISH, normal, "INVALID_STATE")  # the owners vote first
    await refused(
        repairs,
        START_VOTE,
        normal,
        "VALIDATION",
        "votingStartsAt",
        votingStartsAt="2020-02-19T10:00:00+08:00",
        votingEndsAt=ends,
    )
    await refused(
        repairs,
        START_VOTE,
        normal,
        "VALIDATION",
        "votingEndsAt",
        votingStartsAt=ends,
        votingEndsAt=starts,
    )
    voting = await repairs.step(START_VOTE, normal, votingStartsAt=starts, votingEndsAt=ends)
    await refused(repairs, PUBLISH, voting, "INVALID_STATE")  # still voting


async def test_a_rejection_needs_a_reason_and_returns_to_publicity(repairs: Repairs) -> None:
    repair = await repairs.create("EMERGENCY")
    repair = await repairs.step(PUBLISH, repair)
    repair = await repairs.step(SUBMIT, repair)
    district = repairs.cast.district[0]
    await refused(
        repairs, REVIEW, repair, "VALIDATION", "comment", username=district, decision="REJECT"
    )
    repair = await repairs.step(
        REVIEW, repair, username=district, decision="REJECT", comment="预算清册不完整"
    )
    assert repair["status"] == "PUBLICITY"


async def test_a_unit_short_of_its_portion_refuses_the_payment(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    pk = from_global_id(repair["id"])[1]
    async with repairs.app.services.engine.begin() as conn:
        unit = await conn.scalar(
            select(RepairShare.unit_id).where(RepairShare.repair_project_id == pk).limit(1)
        )
        # the unit's deposits were mostly used elsewhere: 0.01 yuan left
        await conn.execute(
            update(FundAccount)
            .where(FundAccount.unit_id == unit)
            .values(deposits=FundAccount.debits + 0.01, balance=0.01)
        )
    error = await refused(repairs, PAY, repair, "INVALID_STATE", stage=1, amount="300.00")
    assert "balance" in error["message"]
    assert min((await repairs.balances()).values()) >= 0


async def test_offices_and_strangers_cannot_move_it(repairs: Repairs) -> None:
    repair = await repairs.to_approved("EMERGENCY")
    cast = repairs.cast
    # another project's manager and enterprise: NOT_FOUND, as if it did not exist
    for username in (cast.other_manager, cast.other_enterprise):
        await refused(
            repairs, PAY, repair, "NOT_FOUND", "id", username=username, stage=1, amount="1.00"
        )
    # another district reviewing: NOT_FOUND
    submitted = await repairs.create("EMERGENCY")
    submitted = await repairs.step(PUBLISH, submitted)
    submitted = await repairs.step(SUBMIT, submitted)
    await refused(
        repairs,
        REVIEW,
        submitted,
        "NOT_FOUND",
        "id",
        username=cast.other_district,
        decision="APPROVE",
    )
    # roles without the mutation do not have it in their schema at all
    for username in (cast.city, cast.community[0], cast.street[0], cast.district[0], "owner_1"):
        body = await repairs.app.client(username).execute(
            PAY,
            {
                "input": {
                    "id": repair["id"],
                    "version": repair["version"],
                    "stage": 1,
                    "amount": "1.00",
                }
            },
        )
        assert body.get("data") is None and body["errors"], username
    for username in (cast.manager, cast.enterprise, cast.city, "owner_1"):
        body = await repairs.app.client(username).execute(
            REVIEW,
            {
                "input": {
                    "id": submitted["id"],
                    "version": submitted["version"],
                    "decision": "APPROVE",
                }
            },
        )
        assert body.get("data") is None and body["errors"], username
