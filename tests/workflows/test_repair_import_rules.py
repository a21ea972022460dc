"""导入分摊's rules without a database: which units, the new budget, the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from propgraph.models.repair import RepairKind
from propgraph.workflows.errors import ErrorCode, MutationError
from propgraph.workflows.repair import StagePlan
from propgraph.workflows.repair_import import ImportedShare, budget_of, check_units, replan

SHARING = {1: "1-0101", 2: "1-0102", 3: "1-0201"}
D = Decimal


def rows(*units: int | None) -> list[ImportedShare]:
    return [ImportedShare(i + 2, u, f"id{u}", D("10.00")) for i, u in enumerate(units)]


def refused(call: object, field: str = "file") -> str:
    assert callable(call)
    with pytest.raises(MutationError) as caught:
        call()
    assert (caught.value.code, caught.value.field) == (ErrorCode.VALIDATION, field)
    return caught.value.message


def test_every_sharing_unit_once_gives_their_amounts() -> None:
    assert check_units(rows(3, 1, 2), SHARING) == {1: D("10.00"), 2: D("10.00"), 3: D("10.00")}


def test_units_not_of_the_project_missing_or_twice_are_refused() -> None:
    assert "Row 3" in refused(lambda: check_units(rows(1, None, 2, 3), SHARING))  # no unit
    assert "Row 5" in refused(lambda: check_units(rows(1, 2, 3, 99), SHARING))  # not sharing
    message = refused(lambda: check_units(rows(1, 2, 1, 3), SHARING))
    assert "1-0101 is listed twice" in message and "row 2" in message
    assert "lacks 1 sharing unit(s): 1-0201" in refused(lambda: check_units(rows(1, 2), SHARING))


def test_the_budget_is_the_sum_within_the_limit() -> None:
    assert budget_of({1: D("0.01"), 2: D("99.99")}) == D("100.00")
    assert "over" in refused(lambda: budget_of({1: D("60000000.00"), 2: D("60000000.00")}))


PLAN = [StagePlan("预付款", D("30.00")), StagePlan("结算款", D("70.00"))]


def test_a_plan_that_still_adds_up_stays() -> None:
    assert replan(RepairKind.NORMAL, D("100.00"), PLAN, None) == PLAN


def test_a_one_stage_plan_takes_the_new_budget() -> None:
    one = [StagePlan("一次性拨付", D("100.00"))]
    assert replan(RepairKind.SIMPLE, D("120.50"), one, None) == [
        StagePlan("一次性拨付", D("120.50"))
    ]


def test_several_stages_that_no_longer_add_up_are_refused_not_scaled() -> None:
    message = refused(lambda: replan(RepairKind.NORMAL, D("101.00"), PLAN, None), "stages")
    assert "101.00" in message and "100.00" in message


def test_given_stages_replace_the_plan_and_are_checked() -> None:
    given = [StagePlan("预付款", D("50.50")), StagePlan("结算款", D("50.50"))]
    assert replan(RepairKind.NORMAL, D("101.00"), PLAN, given) == given
    refused(lambda: replan(RepairKind.NORMAL, D("100.00"), PLAN, given), "stages")
    refused(lambda: replan(RepairKind.SIMPLE, D("101.00"), PLAN, given), "stages")
