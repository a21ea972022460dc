"""Until a meeting closes, a voter sees only its own votes and no one but the
opening office sees totals: by node(id), through the project, for every role."""

from __future__ import annotations

from tests.support.owners import NOMINATE, Owners, owner_id, unit_id

THROUGH_PROJECT = """query($id: ID!) { node(id: $id) { ... on Project { meetings { id
  topics { id myVotes { unit { id } choice } result { participatingUnits } } } } } }"""
TOPIC = """query($id: ID!) { node(id: $id) { ... on Topic { id
  myVotes { unit { id } choice } result { participatingUnits } } } }"""


async def _seen(owners: Owners, username: str, topic: str) -> dict | None:
    """What the account sees of the topic, by id and through its project (must agree)."""
    client = owners.app.client(username)
    by_id = (await client.execute(TOPIC, {"id": topic}))["data"]["node"]
    body = await client.execute(THROUGH_PROJECT, {"id": owners.cast.project_id})
    project = (body.get("data") or {}).get("node")
    through = None
    for meeting in (project or {}).get("meetings") or []:
        for candidate in meeting["topics"]:
            if candidate["id"] == topic:
                through = candidate
    assert by_id == through, username
    return by_id


async def test_votes_and_totals_stay_secret_until_closing(owners: Owners) -> None:
    cast = owners.cast
    for who in ("owner_2", "owner_3"):
        await owners.ok(who, NOMINATE, {"unitId": unit_id(2), "nomineeId": owner_id(3)})
    meeting = await owners.open_meeting(cast.street[0])
    owners.to_voting(meeting)
    topic = meeting["topics"][0]["id"]
    await owners.vote("owner_1", topic, 1, "AGREE")
    await owners.vote("owner_3", topic, 2, "DISAGREE")

    # voters: their own votes only, no totals
    mine = {
        "owner_1": [{"unit": {"id": unit_id(1)}, "choice": "AGREE"}],
        "owner_2": [],  # co-owner of unit 2, whose voter is owner_3
        "owner_3": [{"unit": {"id": unit_id(2)}, "choice": "DISAGREE"}],
    }
    for username, votes in mine.items():
        seen = await _seen(owners, username, topic)
        assert seen is not None and seen["myVotes"] == votes and seen["result"] is None, username
    # everyone else who sees the meeting: no votes, no totals, except the opening street
    for username in (cast.manager, cast.enterprise, *cast.community, cast.district[0], cast.city):
        seen = await _seen(owners, username, topic)
        assert seen == {"id": topic, "myVotes": [], "result": None}, username
    for username in cast.street:
        seen = await _seen(owners, username, topic)
        assert seen == {"id": topic, "myVotes": [], "result": {"participatingUnits": 2}}
    # outside the project: nothing at all
    for username in (cast.other_street, cast.other_community, cast.other_manager, "delegate_1"):
        assert await _seen(owners, username, topic) is None, username

    # once closed, everyone who sees the meeting sees the totals, still only own votes
    owners.to_closed(meeting)
    for username in ("owner_2", cast.manager, cast.community[0], cast.city):
        seen = await _seen(owners, username, topic)
        assert seen is not None and seen["result"] == {"participatingUnits": 2}, username
        assert seen["myVotes"] == mine.get(username, []), username
    assert await _seen(owners, cast.other_street, topic) is None
