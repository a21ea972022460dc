"""A delegation outside its period, or revoked, leaves the delegate with nothing (SPEC 3.2)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from propgraph.models import Account, Delegation
from tests.support.app import RunningApp

# Everything a delegate's schema lets it ask for at the root.
EVERYTHING = """{ me { username scope { id } }
  projects(first: 500) { totalCount edges { node { id } } }
  enterprises(first: 500) { totalCount } todos { totalCount } }"""


async def _delegate(app: RunningApp, which: str) -> str:
    today = date.today()
    conditions = {
        "active": (Delegation.revoked_at.is_(None), Delegation.ends_on >= today),
        "revoked": (Delegation.revoked_at.is_not(None),),
        "expired": (Delegation.revoked_at.is_(None), Delegation.ends_on < today),
    }[which]
    async with app.services.engine.connect() as conn:
        return (
            await conn.execute(
                select(Account.username)
                .join(Delegation, Delegation.id == Account.delegation_id)
                .where(*conditions)
            )
        ).scalar_one()


@pytest.mark.parametrize("which", ["expired", "revoked"])
async def test_a_delegation_out_of_force_leaves_the_delegate_with_nothing(
    tiny: RunningApp, which: str
) -> None:
    # given the delegate of a delegation that expired (or was revoked)
    data = await tiny.client(await _delegate(tiny, which)).data(EVERYTHING)
    # then it is still signed in, and sees nothing at all
    assert data["me"]["scope"] is None
    assert data["projects"] == {"totalCount": 0, "edges": []}
    assert data["enterprises"]["totalCount"] == 0
    assert data["todos"]["totalCount"] == 0


async def test_an_active_delegation_shows_its_project(tiny: RunningApp) -> None:
    data = await tiny.client(await _delegate(tiny, "active")).data(EVERYTHING)
    assert data["projects"]["totalCount"] == 1
