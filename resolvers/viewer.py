"""Reads about the signed-in account itself: its delegations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from propgraph.db import RequestDB
from propgraph.models import Delegation
from propgraph.resolvers.owners.kinds import DELEGATION


async def delegations_given(db: RequestDB, owner_id: int) -> Sequence[Any]:
    return await db.all(
        DELEGATION.columns().where(Delegation.owner_id == owner_id).order_by(Delegation.id)
    )
