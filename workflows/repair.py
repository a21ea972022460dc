"""Maintenance-fund repair projects (SPEC 3.4): the rules that decide money.

Pure functions, no database: parsing amounts to the fen, apportioning a
budget over the sharing units by floor area (largest remainder), checking
that a disbursement plan adds up to the budget, and finding the units whose
balance is short of their share. The transitions of the flow (vote,
publicity, review, payments, acceptance, refunds) join this module as a
``Machine`` table when they are built.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

from propgraph.workflows.errors import invalid

K = TypeVar("K", bound=Hashable)

FEN = Decimal("0.01")
# 一亿元: far above any repair of shared parts, and well inside BIGINT fen.
MAX_AMOUNT = Decimal("100000000.00")


def parse_money(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """An amount in yuan: a finite decimal with at most two places, above zero.

    Anything else is a VALIDATION error naming ``field``; nothing is rounded.
    """
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, "Give an amount in yuan, such as 1234.56.") from None
    if not amount.is_finite():
        raise invalid(field, "Give an amount in yuan, such as 1234.56.")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise invalid(field, "The amount must be above zero.")
    if amount > MAX_AMOUNT:
        raise invalid(field, f"The amount must not exceed {MAX_AMOUNT} yuan.")
    if amount != amount.quantize(FEN):
        raise invalid(field, "Amounts are exact to the fen: at most two decimals.")
    return amount.quantize(FEN)


def apportion(total: Decimal, weights: Sequence[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """Split ``total`` (fen-exact) over ``weights`` in proportion, to the fen, exactly.

    Largest remainder (Hamilton): each key first gets its exact share rounded
    down to the fen; the fen left over go one each to the keys with the largest
    remainders, ties broken by their order in ``weights``. The shares add up to
    ``total``, each is within one fen of its exact proportion, and the same
    input always gives the same output. Weights must be non-negative with a
    positive sum; keys must be distinct.
    """
    if not weights:
        raise ValueError("nothing to apportion over")
    fen = int((total / FEN).to_integral_value())
    if Decimal(fen) * FEN != total:
        raise ValueError("the total must be exact to the fen")
    exact = [Fraction(w) for _, w in weights]
    whole = sum(exact, Fraction(0))
    if whole <= 0 or any(w < 0 for w in exact):
        raise ValueError("weights must be non-negative with a positive sum")
    if len({k for k, _ in weights}) != len(weights):
        raise ValueError("keys must be distinct")
    quotas = [fen * w / whole for w in exact]
    floors = [q.numerator // q.denominator for q in quotas]
    left = fen - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return {key: Decimal(n) * FEN for (key, _), n in zip(weights, floors, strict=True)}


@dataclass(frozen=True)
class StagePlan:
    name: str
    amount: Decimal


def check_stages(stages: Sequence[StagePlan], budget: Decimal) -> None:
    """A disbursement plan: at least one named stage, and stages adding up to the budget."""
    if not stages:
        raise invalid("stages", "Give at least one stage of the disbursement plan.")
    for index, stage in enumerate(stages):
        if not stage.name.strip():
            raise invalid(f"stages.{index}.name", "Name every stage.")
    planned = sum((s.amount for s in stages), Decimal("0.00"))
    if planned != budget:
        raise invalid(
            "stages",
            f"The stages add up to {planned} yuan; they must add up to the budget, {budget}.",
        )


@dataclass(frozen=True)
class Shortfall:
    unit_id: int
    share: Decimal
    balance: Decimal

    @property
    def short(self) -> Decimal:
        return self.share - self.balance


def shortfalls(shares: Mapping[int, Decimal], balances: Mapping[int, Decimal]) -> list[Shortfall]:
    """The units whose fund balance does not cover their share, by unit id."""
    return [
        Shortfall(unit, share, balances.get(unit, Decimal("0.00")))
        for unit, share in sorted(shares.items())
        if balances.get(unit, Decimal("0.00")) < share
    ]


def parse_facilities(values: Sequence[str]) -> list[str]:
    """The shared parts to repair: at least one, each named, none twice."""
    names = [v.strip() for v in values]
    if not names or any(not n for n in names):
        raise invalid("facilities", "Name at least one facility, and no empty names.")
    if len(set(names)) != len(names):
        raise invalid("facilities", "A facility is listed twice.")
    if any(len(n) > 128 for n in names) or len(names) > 100:
        raise invalid("facilities", "At most 100 facilities of at most 128 characters.")
    return names
