"""The money rules of repair projects, without a database (SPEC 3.4)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propgraph.models.repair import RepairKind
from propgraph.workflows.errors import ErrorCode, MutationError
from propgraph.workflows.repair import (
    Payment,
    StagePlan,
    apportion,
    check_payment,
    check_stages,
    parse_facilities,
    parse_money,
    shortfalls,
)

fen_amounts = st.integers(min_value=1, max_value=10_000_000_000).map(lambda n: Decimal(n) / 100)
areas = st.integers(min_value=1, max_value=50_000).map(lambda n: Decimal(n) / 100)


@given(total=fen_amounts, weights=st.lists(areas, min_size=1, max_size=60))
def test_shares_add_up_exactly_and_each_is_within_a_fen(
    total: Decimal, weights: list[Decimal]
) -> None:
    keyed = list(enumerate(weights))
    shares = apportion(total, keyed)
    assert sum(shares.values()) == total
    whole = sum(weights)
    for key, weight in keyed:
        exact = Fraction(total) * Fraction(weight) / Fraction(whole)
        assert abs(Fraction(shares[key]) - exact) < Fraction(1, 100)
        assert shares[key] == shares[key].quantize(Decimal("0.01"))
    assert apportion(total, keyed) == shares


@given(total=fen_amounts, weights=st.lists(areas, min_size=2, max_size=20))
def test_a_larger_area_never_pays_less(total: Decimal, weights: list[Decimal]) -> None:
    shares = apportion(total, list(enumerate(weights)))
    for i, a in enumerate(weights):
        for j, b in enumerate(weights):
            if a > b:
                assert shares[i] >= shares[j]


def test_the_leftover_fen_go_to_the_largest_remainders_then_in_order() -> None:
    # 1.00 over three equal areas: 0.33 each, the one fen left to the first
    assert apportion(Decimal("1.00"), [(7, Decimal(1)), (8, Decimal(1)), (9, Decimal(1))]) == {
        7: Decimal("0.34"),
        8: Decimal("0.33"),
        9: Decimal("0.33"),
    }
    # 100.00 over 50 and 30 m² plus 20: exact already
    assert apportion(Decimal("100.00"), [(1, Decimal(50)), (2, Decimal(30)), (3, Decimal(20))]) == {
        1: Decimal("50.00"),
        2: Decimal("30.00"),
        3: Decimal("20.00"),
    }
    # 0.05 over 1, 1.5 and 2.5 m²: quotas 0.01, 0.015, 0.025: the remainders decide
    assert apportion(
        Decimal("0.05"), [(1, Decimal(1)), (2, Decimal("1.5")), (3, Decimal("2.5"))]
    ) == {1: Decimal("0.01"), 2: Decimal("0.02"), 3: Decimal("0.02")}


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [(1, Decimal(0))],
        [(1, Decimal(-1)), (2, Decimal(3))],
        [(1, Decimal(1)), (1, Decimal(2))],
    ],
)
def test_apportion_refuses_what_it_cannot_split(bad: list) -> None:
    with pytest.raises(ValueError):
        apportion(Decimal("10.00"), bad)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("1234.56", Decimal("1234.56")),
        ("1.1", Decimal("1.10")),
        ("7", Decimal("7.00")),
        ("1.100", Decimal("1.10")),
    ],
)
def test_money_is_read_to_the_fen(value: str, want: Decimal) -> None:
    assert parse_money(Decimal(value), "budget") == want


@pytest.mark.parametrize(
    "value", ["1.005", "0", "0.00", "-1", "-0.01", "NaN", "Infinity", "abc", "1e30", "1E-3"]
)
def test_bad_money_is_a_validation_error(value: str) -> None:
    with pytest.raises(MutationError) as refused:
        parse_money(value, "budget")
    assert refused.value.code is ErrorCode.VALIDATION and refused.value.field == "budget"


def test_stages_must_add_up_to_the_budget() -> None:
    check_stages(
        [StagePlan("开工", Decimal("30.00")), StagePlan("竣工", Decimal("70.00"))],
        Decimal("100.00"),
    )
    for stages in (
        [],
        [StagePlan("开工", Decimal("30.00"))],
        [StagePlan("开工", Decimal("30.00")), StagePlan("竣工", Decimal("70.01"))],
        [StagePlan(" ", Decimal("100.00"))],
    ):
        with pytest.raises(MutationError) as refused:
            check_stages(stages, Decimal("100.00"))
        assert refused.value.code is ErrorCode.VALIDATION


def test_short_units_are_reported_in_unit_order() -> None:
    found = shortfalls(
        {3: Decimal("10.00"), 1: Decimal("5.00"), 2: Decimal("1.00")},
        {1: Decimal("4.99"), 2: Decimal("1.00")},
    )
    assert [(s.unit_id, s.short) for s in found] == [(1, Decimal("0.01")), (3, Decimal("10.00"))]


def test_facilities_are_named_once_each() -> None:
    assert parse_facilities([" 电梯 ", "外墙"]) == ["电梯", "外墙"]
    for bad in ([], [""], ["电梯", "电梯"]):
        with pytest.raises(MutationError):
            parse_facilities(bad)


# --- the payment rules over any sequence of attempts ---------------------------------------


attempts = st.lists(
    st.tuples(st.integers(min_value=1, max_value=3), st.integers(min_value=1, max_value=60_000)),
    max_size=30,
)


@given(
    plan=st.tuples(*(st.integers(min_value=1, max_value=40_000) for _ in range(3))),
    tries=attempts,
    accept_after=st.integers(min_value=0, max_value=30),
    owed=st.lists(st.integers(min_value=0, max_value=50_000), min_size=1, max_size=20),
)
def test_no_sequence_of_payments_breaks_the_plan_or_the_70_percent_rule(
    plan: tuple[int, int, int], tries: list[tuple[int, int]], accept_after: int, owed: list[int]
) -> None:
    fen = Decimal("0.01")
    amounts = [Decimal(n) * fen for n in plan]
    budget = sum(amounts, Decimal(0))
    paid = [Decimal(0)] * 3
    settled: Decimal | None = None
    for step, (stage, cents) in enumerate(tries):
        if step == accept_after:
            settled = budget
        amount = Decimal(cents) * fen
        p = Payment(
            kind=RepairKind.NORMAL,
            budget=budget,
            paid=sum(paid, Decimal(0)),
            settled=settled,
            stage=stage,
            last_stage=3,
            stage_amount=amounts[stage - 1],
            stage_paid=paid[stage - 1],
        )
        try:
            closing = check_payment(p, amount)
        except MutationError:
            continue
        paid[stage - 1] += amount
        total = sum(paid, Decimal(0))
        assert all(x <= a for x, a in zip(paid, amounts, strict=True))
        if settled is None:
            assert total * 10 <= budget * 7 and paid[2] == 0
        assert closing == (total == budget and settled is not None)
    # and a payment split over what the units still owe never overpays one of them
    weights = [(i, Decimal(n) * fen) for i, n in enumerate(owed)]
    whole = sum((w for _, w in weights), Decimal(0))
    if whole > 0:
        take = min(whole, budget)
        portions = apportion(take, weights)
        assert sum(portions.values()) == take
        assert all(portions[i] <= w for i, w in weights)
