"""Counting an owners' meeting's votes (SPEC 3.2; Civil Code art. 278): pure rules.

Each unit counts once (one voter per unit, as the platform counts
households) with its floor area; the eligible units are all units of the
project. Every comparison is exact: areas are ``Fraction``s and each
"at least p/q of X" is ``q·part >= p·X`` in integers or fractions, never a
float that could put a result on the wrong side of 2/3.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from propgraph.models import VoteChoice, VotingRule


@dataclass(frozen=True)
class Tally:
    units: int
    area: Fraction

    def share_at_least(self, whole: Tally, numerator: int, denominator: int) -> bool:
        """Both the units and the area reach numerator/denominator of ``whole``."""
        return (
            denominator * self.units >= numerator * whole.units
            and denominator * self.area >= numerator * whole.area
        )

    def more_than_half(self, whole: Tally) -> bool:
        return 2 * self.units > whole.units and 2 * self.area > whole.area


NONE = Tally(0, Fraction(0))


@dataclass(frozen=True)
class Count:
    eligible: Tally
    participating: Tally
    agree: Tally
    disagree: Tally
    abstain: Tally


def count_votes(
    unit_areas: Mapping[int, Decimal | Fraction | int],
    choices: Mapping[int, VoteChoice],
) -> Count:
    """Tallies of one topic: ``unit_areas`` holds every eligible unit, ``choices``
    the vote of each unit that voted (a unit outside the project is ignored)."""
    by_choice: dict[VoteChoice, list[Fraction]] = {choice: [] for choice in VoteChoice}
    for unit_id, choice in choices.items():
        if unit_id in unit_areas:
            by_choice[choice].append(Fraction(unit_areas[unit_id]))

    def tally(areas: list[Fraction]) -> Tally:
        return Tally(len(areas), sum(areas, Fraction(0)))

    voted = [area for areas in by_choice.values() for area in areas]
    return Count(
        eligible=tally([Fraction(a) for a in unit_areas.values()]),
        participating=tally(voted),
        agree=tally(by_choice[VoteChoice.AGREE]),
        disagree=tally(by_choice[VoteChoice.DISAGREE]),
        abstain=tally(by_choice[VoteChoice.ABSTAIN]),
    )


def quorum(count: Count) -> bool:
    """Art. 278 ¶2: owners holding at least 2/3 of the area and at least 2/3 of
    the owners take part in the vote."""
    return count.eligible.units > 0 and count.participating.share_at_least(count.eligible, 2, 3)


def double_two_thirds(count: Count) -> bool:
    """Seed 003: the agreeing units hold at least 2/3 of the project's floor
    area and are at least 2/3 of its units (abstaining counts as not agreeing)."""
    return count.eligible.units > 0 and count.agree.share_at_least(count.eligible, 2, 3)


def major(count: Count) -> bool:
    """Art. 278 (6)–(8): quorum, then at least 3/4 of the participating area
    and of the participating owners agree."""
    return quorum(count) and count.agree.share_at_least(count.participating, 3, 4)


def ordinary(count: Count) -> bool:
    """Art. 278, other matters: quorum, then more than half of the
    participating area and of the participating owners agree."""
    return quorum(count) and count.agree.more_than_half(count.participating)


RULES: dict[VotingRule, Callable[[Count], bool]] = {
    VotingRule.DOUBLE_TWO_THIRDS: double_two_thirds,
    VotingRule.MAJOR: major,
    VotingRule.ORDINARY: ordinary,
}


def passes(rule: VotingRule, count: Count) -> bool:
    return RULES[rule](count)
