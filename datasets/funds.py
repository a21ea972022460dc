"""Opening balances of the unit fund accounts, generated beside the units.

Owners deposit the special maintenance fund by floor area when a unit is
sold (首期交存, in Guangdong a sum per m² fixed by the building's type and
cost); what a unit holds years later also reflects interest and the
repairs already paid from it. The seed gives every building one rate, drawn
from its id and the random seed (no random stream is shared with the rest
of the dataset, so adding funds changed no other table), and every unit
``floor area × rate``, all of it counted as deposits: the journal
(``fund_entries``) starts empty and records what the workflows move later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Row = tuple[Any, ...]

FUND_ACCOUNT_COLUMNS = (
    "unit_id",
    "deposits",
    "debits",
    "refunds",
    "balance",
    "building_id",
    "project_id",
    "community_id",
    "street_id",
    "district_id",
)

# Yuan per m² of floor area: about what a multi-storey (low end) to a
# high-rise with lifts (high end) holds.
LOW_RATE, HIGH_RATE = 40, 120


def building_rate(building_id: int, seed: int) -> int:
    """The building's yuan per m², a cheap deterministic hash of (id, seed)."""
    mixed = (building_id * 2_654_435_761 + seed * 40_503) % 4_294_967_296
    return LOW_RATE + mixed % (HIGH_RATE - LOW_RATE + 1)


def fund_accounts(units: Sequence[Row], seed: int) -> list[Row]:
    """One account row per unit row (``generate.UNIT_COLUMNS`` order), storage values.

    A floor area in hundredths of m² times yuan per m² is already fen.
    """
    rows = []
    rates: dict[int, int] = {}
    for unit_id, _number, area, building_id, pid, cid, sid, did in units:
        rate = rates.get(building_id)
        if rate is None:
            rate = rates[building_id] = building_rate(building_id, seed)
        fen = area * rate
        rows.append((unit_id, fen, 0, 0, fen, building_id, pid, cid, sid, did))
    return rows
