"""Who votes for a unit (SPEC 3.2): the sole owner, or the owners' agreed nominee.

Nominations are kept as history; the voter of a unit for a meeting is read
from the nominations made before the meeting's voting opened, so a change
takes effect from the next meeting, never the one under way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.models import UnitOwner, VoterNomination


def effective_voter(owners: Collection[int], nominations: Mapping[int, int]) -> int | None:
    """The unit's voter: its only owner, or the owner every owner nominated.

    ``nominations`` maps each nominating owner to its nominee (latest first
    wins before this is called). None while any owner has not nominated, or
    they disagree, or the unit has no owner.
    """
    owners = set(owners)
    if len(owners) == 1:
        return next(iter(owners))
    named = {nominations.get(owner) for owner in owners}
    if len(named) == 1:
        nominee = named.pop()
        if nominee in owners:
            return nominee
    return None


async def owners_of_units(conn: Any, unit_ids: Collection[int]) -> dict[int, set[int]]:
    rows = await conn.execute(
        select(UnitOwner.unit_id, UnitOwner.owner_id).where(UnitOwner.unit_id.in_(list(unit_ids)))
    )
    owners: dict[int, set[int]] = defaultdict(set)
    for unit_id, owner_id in rows:
        owners[unit_id].add(owner_id)
    return owners


def latest_nominations(unit_ids: Collection[int], before: datetime | None = None) -> Any:
    """(unit_id, owner_id, nominee_id, at) of each owner's latest nomination."""
    latest = select(func.max(VoterNomination.id)).where(VoterNomination.unit_id.in_(list(unit_ids)))
    if before is not None:
        latest = latest.where(VoterNomination.at < before)
    latest = latest.group_by(VoterNomination.unit_id, VoterNomination.owner_id)
    return select(
        VoterNomination.unit_id,
        VoterNomination.owner_id,
        VoterNomination.nominee_id,
        VoterNomination.at,
    ).where(VoterNomination.id.in_(latest))


async def voters_of_units(
    conn: AsyncConnection | Any, unit_ids: Collection[int], before: datetime | None = None
) -> dict[int, int | None]:
    """Each unit's effective voter, from nominations made before ``before`` (all if None).

    ``conn`` is an ``AsyncConnection`` or a request's ``RequestDB``."""
    if not unit_ids:
        return {}
    owners = await owners_of_units(conn, unit_ids)
    nominated: dict[int, dict[int, int]] = defaultdict(dict)
    for row in await conn.execute(latest_nominations(unit_ids, before)):
        nominated[row.unit_id][row.owner_id] = row.nominee_id
    return {unit: effective_voter(owners.get(unit, ()), nominated[unit]) for unit in unit_ids}
