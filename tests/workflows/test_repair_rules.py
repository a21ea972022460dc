"""The money rules of repair projects, without a database (SPEC 3.4)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propgraph.workflows.errors import ErrorCode, MutationError
from propgraph.workflows.repair import (
    StagePlan,
    apportion,
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
