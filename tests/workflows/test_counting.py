"""The three counting rules at their boundaries, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from propgraph.models import VoteChoice, VotingRule
from propgraph.workflows.counting import (
    count_votes,
    double_two_thirds,
    major,
    ordinary,
    passes,
    quorum,
)

A, D, X = VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN


def units(n: int, area: str = "100") -> dict[int, Decimal]:
    return {i: Decimal(area) for i in range(1, n + 1)}


def votes(*choices: VoteChoice) -> dict[int, VoteChoice]:
    return {i: c for i, c in enumerate(choices, start=1)}


def test_double_two_thirds_passes_at_exactly_two_thirds() -> None:
    # given 6 equal units, 4 agreeing: exactly 2/3 of units and of area
    count = count_votes(units(6), votes(A, A, A, A, D))
    # then it passes
    assert double_two_thirds(count)


def test_double_two_thirds_fails_one_unit_under() -> None:
    assert not double_two_thirds(count_votes(units(6), votes(A, A, A, D, D, D)))


def test_double_two_thirds_needs_the_area_too() -> None:
    # given 4 of 6 units agree, but they are the small ones: 2/3 of units, not of area
    areas = {1: Decimal("50"), 2: Decimal("50"), 3: Decimal("50"), 4: Decimal("50")}
    areas |= {5: Decimal("100"), 6: Decimal("100.01")}
    count = count_votes(areas, votes(A, A, A, A))
    assert count.agree.units == 4 and not double_two_thirds(count)


def test_double_two_thirds_area_just_at_two_thirds_in_hundredths() -> None:
    # given areas where 2/3 is a repeating decimal: 200.00 of 300.00 m², exact
    areas = {1: Decimal("100.00"), 2: Decimal("100.00"), 3: Decimal("100.00")}
    assert double_two_thirds(count_votes(areas, votes(A, A)))
    # and one hundredth of a m² less is under
    areas[2] = Decimal("99.99")
    areas[3] = Decimal("100.01")
    assert not double_two_thirds(count_votes(areas, votes(A, A)))


def test_quorum_at_exactly_two_thirds_and_one_under() -> None:
    assert quorum(count_votes(units(3), votes(A, X)))
    assert not quorum(count_votes(units(3), votes(A)))
    assert not quorum(count_votes(units(9), votes(A, A, A, A, A)))  # 5/9 < 2/3


def test_major_at_exactly_three_quarters_of_the_participants() -> None:
    # given 6 units, 4 participate (quorum exactly), 3 of 4 agree
    assert major(count_votes(units(6), votes(A, A, A, X)))
    # one under: 2 of 4
    assert not major(count_votes(units(6), votes(A, A, D, X)))


def test_major_without_quorum_fails_even_if_all_agree() -> None:
    assert not major(count_votes(units(6), votes(A, A, A)))


def test_ordinary_needs_more_than_half_so_a_tie_fails() -> None:
    # given 4 units all voting, 2 agree and 2 disagree: a tie
    assert not ordinary(count_votes(units(4), votes(A, A, D, D)))
    # and 3 of 4 pass
    assert ordinary(count_votes(units(4), votes(A, A, A, D)))


def test_ordinary_abstention_counts_as_participating_not_agreeing() -> None:
    # given 3 vote: 1 agree, 1 disagree, 1 abstain: 1/3 agree
    assert not ordinary(count_votes(units(3), votes(A, D, X)))


def test_ordinary_area_tie_fails_even_with_a_majority_of_units() -> None:
    areas = {1: Decimal("50"), 2: Decimal("50"), 3: Decimal("100")}
    assert not ordinary(count_votes(areas, votes(A, A, D)))


def test_each_unit_counts_once_and_outsiders_not_at_all() -> None:
    count = count_votes(units(3), {1: A, 2: A, 99: A})
    assert count.agree.units == 2 and count.participating.units == 2


def test_a_project_without_units_passes_nothing() -> None:
    for rule in VotingRule:
        assert not passes(rule, count_votes({}, {}))


@pytest.mark.parametrize("rule", list(VotingRule))
def test_unanimity_passes_every_rule(rule: VotingRule) -> None:
    assert passes(rule, count_votes(units(5), votes(A, A, A, A, A)))


# --- the voter of a unit (workflows/voters.py) --------------------------------------


def test_a_sole_owner_votes_without_nominating() -> None:
    from propgraph.workflows.voters import effective_voter

    assert effective_voter({7}, {}) == 7


def test_shared_unit_needs_every_owner_to_name_the_same_owner() -> None:
    from propgraph.workflows.voters import effective_voter

    assert effective_voter({1, 2}, {1: 2}) is None  # one has not nominated
    assert effective_voter({1, 2}, {1: 2, 2: 1}) is None  # they disagree
    assert effective_voter({1, 2}, {1: 2, 2: 2}) == 2
    assert effective_voter({1, 2, 3}, {1: 3, 2: 3, 3: 3}) == 3
    assert effective_voter(set(), {}) is None
