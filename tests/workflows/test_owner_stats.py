"""Owners' drill-down figures, counted in SQL within the viewer's scope."""

from __future__ import annotations

from sqlalchemy import func, select

from propgraph.models import Owner, OwnerVerification, UnitOwner
from tests.support.owners import Owners

FIGURES = "owners verifiedOwners verifiedOwnerRate meetingsHeld turnout topics topicsPassed"
BY_PROJECT = (
    f"""query($id: ID!) {{ node(id: $id) {{ ... on Project {{ ownerStats {{ {FIGURES} }} }} }} }}"""
)
WHOLE = f"{{ ownerStats {{ {FIGURES} }} }}"


async def test_figures_of_a_project_and_of_each_scope(owners: Owners) -> None:
    cast = owners.cast
    meeting = await owners.open_meeting()
    owners.to_voting(meeting)
    for topic in meeting["topics"]:
        await owners.vote("owner_1", topic["id"], 1, "AGREE")
        await owners.vote("owner_1", topic["id"], 3, "DISAGREE")
    # while voting, nothing is held yet
    live = await owners.app.client(cast.community[0]).data(BY_PROJECT, {"id": cast.project_id})
    assert live["node"]["ownerStats"]["meetingsHeld"] == 0
    owners.to_closed(meeting)
    async with owners.app.services.engine.connect() as conn:
        counted = (
            await conn.execute(
                select(
                    func.count(func.distinct(UnitOwner.owner_id)),
                    func.count(func.distinct(UnitOwner.unit_id)),
                )
                .join(Owner, Owner.id == UnitOwner.owner_id)
                .where(UnitOwner.project_id == cast.project_pk)
            )
        ).one()
        verified = await conn.scalar(
            select(func.count(func.distinct(UnitOwner.owner_id)))
            .join(Owner, Owner.id == UnitOwner.owner_id)
            .where(
                UnitOwner.project_id == cast.project_pk,
                Owner.verification != OwnerVerification.UNVERIFIED,
            )
        )
    stats = (await owners.app.client(cast.community[0]).data(BY_PROJECT, {"id": cast.project_id}))[
        "node"
    ]["ownerStats"]
    assert stats == {
        "owners": counted[0],
        "verifiedOwners": verified,
        "verifiedOwnerRate": round(verified / counted[0], 4),
        "meetingsHeld": 1,
        "turnout": round(2 / counted[1], 4),
        "topics": 3,
        "topicsPassed": 0,  # 2 of 8 units took part: no quorum, no double 2/3
    }
    # the street's whole scope holds the meeting; another street's does not
    street = (await owners.app.client(cast.street[0]).data(WHOLE))["ownerStats"]
    assert street["meetingsHeld"] == 1 and street["topics"] == 3
    other = (await owners.app.client(cast.other_street).data(WHOLE))["ownerStats"]
    assert other["meetingsHeld"] == 0 and other["owners"] > 0
