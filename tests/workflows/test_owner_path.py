"""The owner path over HTTP: verify, delegate, nominate, meet, vote, count, rate."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import Notification, Todo
from tests.support.owners import (
    CANCEL_MEETING,
    CREATE_DELEGATION,
    NOMINATE,
    RATE,
    REVOKE_DELEGATION,
    STARS,
    TOPIC,
    UNIT,
    VERIFY,
    Owners,
    owner_id,
    unit_id,
)

TODOS = """{ todos { edges { node { kind title subject { id } } } } }"""


async def _todos(owners: Owners, username: str) -> list[dict]:
    data = await owners.app.client(username).data(TODOS)
    return [e["node"] for e in data["todos"]["edges"]]


async def test_the_whole_owner_path(owners: Owners) -> None:
    cast = owners.cast
    # given owner_2 and owner_3 share unit 2; they both nominate owner_3
    await owners.ok("owner_2", NOMINATE, {"unitId": unit_id(2), "nomineeId": owner_id(3)})
    assert (await owners.node("owner_2", UNIT, unit_id(2)))["voter"] is None
    unit = (await owners.ok("owner_3", NOMINATE, {"unitId": unit_id(2), "nomineeId": owner_id(3)}))[
        "unit"
    ]
    assert unit["voter"] == {"id": owner_id(3)}
    # and the community verifies owner_3 offline (it was already; set it again)
    verified = await owners.ok(
        cast.community[1], VERIFY, {"ownerId": owner_id(3), "verification": "FACE"}
    )
    assert verified["owner"]["verification"] == "FACE"

    # when the street opens a meeting with three topics
    meeting = await owners.open_meeting()
    assert meeting["status"] == "PUBLICITY" and len(meeting["topics"]) == 3
    # then the owners are notified by WECHAT and SMS, and each voter has a to-do
    async with owners.app.services.engine.connect() as conn:
        channels = set(
            (
                await conn.execute(
                    select(Notification.channel).where(Notification.template == "meeting.opened")
                )
            ).scalars()
        )
        assert channels == {"WECHAT", "SMS"}
        kinds = (await conn.execute(select(Todo.owner_id).where(Todo.kind == "meeting.vote"))).all()
        assert {row.owner_id for row in kinds} >= {1, 3}
    assert [t["subject"]["id"] for t in await _todos(owners, "owner_3")] == [meeting["id"]]
    assert await _todos(owners, "owner_2") == []  # not unit 2's voter

    # votes before voting opens are refused
    dtt, major, ordinary = (t["id"] for t in meeting["topics"])
    early = await owners.vote("owner_1", dtt, 1, "AGREE")
    assert [e["code"] for e in early["errors"]] == ["INVALID_STATE"]

    # when voting opens, owner_1 votes for units 1 and 3, owner_3 for unit 2
    owners.to_voting(meeting)
    for topic in (dtt, major, ordinary):
        for username, unit in (("owner_1", 1), ("owner_1", 3), ("owner_3", 2)):
            assert (await owners.vote(username, topic, unit, "AGREE"))["errors"] == []
    # having voted every topic for every unit, each voter's to-do is done
    assert await _todos(owners, "owner_1") == await _todos(owners, "owner_3") == []
    done = await owners.app.client("owner_1").data(
        "{ todos(status: DONE) { edges { node { kind } } } }"
    )
    assert [e["node"]["kind"] for e in done["todos"]["edges"]] == ["meeting.vote"]
    # owner_2 is not unit 2's voter; a second vote is DUPLICATE
    assert [e["code"] for e in (await owners.vote("owner_2", dtt, 2, "AGREE"))["errors"]] == [
        "FORBIDDEN"
    ]
    assert [e["code"] for e in (await owners.vote("owner_3", dtt, 2, "AGREE"))["errors"]] == [
        "DUPLICATE"
    ]
    # a voter sees its own votes and no totals; the opening street sees totals live
    topic = await owners.node("owner_1", TOPIC, dtt)
    assert sorted(v["unit"]["id"] for v in topic["myVotes"]) == [unit_id(1), unit_id(3)]
    assert topic["result"] is None
    live = await owners.node(cast.street[1], TOPIC, dtt)
    assert live["result"]["participatingUnits"] == 3 and live["myVotes"] == []

    # when voting ends, every viewer of the meeting sees the results
    owners.to_closed(meeting)
    closed = await owners.node("owner_2", TOPIC, ordinary)
    result = closed["result"]
    assert result["agree"]["units"] == 3 and result["participatingUnits"] == 3
    assert result["passed"] is (3 * 3 >= 2 * result["eligibleUnits"])

    # the owner rates the project for each of its units
    rated = await owners.ok("owner_1", RATE, {"projectId": cast.project_id, "stars": STARS})
    rating = rated["project"]["rating"]
    assert rating["count"] == 2 and rating["rank"] == 1 and rating["average"] == 4.2
    public = await owners.app.client().data(
        "{ ratingRanking { edges { node { id rating { rank count } } } } }"
    )
    assert [e["node"]["id"] for e in public["ratingRanking"]["edges"]] == [cast.project_id]


async def test_delegation_blocks_the_owner_until_revoked(owners: Owners) -> None:
    # given owner_1 delegates its units in project 1
    today = owners.clock().date().isoformat()
    created = await owners.ok(
        "owner_1",
        CREATE_DELEGATION,
        {
            "projectId": owners.cast.project_id,
            "delegateName": "王五",
            "delegatePhone": "13912345678",
            "startsOn": today,
            "endsOn": "2020-12-31",
        },
    )
    delegation = created["delegation"]
    assert delegation["active"] and delegation["delegateUsername"] == "delegate_13912345678"
    meeting = await owners.open_meeting()
    owners.to_voting(meeting)
    topic = meeting["topics"][0]["id"]
    # then the owner cannot vote or rate there, the delegate can
    blocked = await owners.vote("owner_1", topic, 1, "AGREE")
    assert [e["code"] for e in blocked["errors"]] == ["INVALID_STATE"]
    rate = await owners.call("owner_1", RATE, {"projectId": owners.cast.project_id, "stars": STARS})
    assert [e["code"] for e in rate["errors"]] == ["INVALID_STATE"]
    by_delegate = await owners.vote("delegate_13912345678", topic, 1, "DISAGREE")
    assert by_delegate["errors"] == [] and by_delegate["vote"]["byDelegate"]
    # and the delegate cannot vote for another owner's unit (it cannot see it)
    other = await owners.vote("delegate_13912345678", topic, 2, "AGREE")
    assert [e["code"] for e in other["errors"]] == ["NOT_FOUND"]
    # when the owner revokes, the delegate loses access and the owner votes again
    revoked = await owners.ok("owner_1", REVOKE_DELEGATION, {"id": delegation["id"]})
    assert not revoked["delegation"]["active"]
    after = await owners.vote("delegate_13912345678", meeting["topics"][1]["id"], 3, "AGREE")
    assert [e["code"] for e in after["errors"]] == ["NOT_FOUND"]
    assert (await owners.vote("owner_1", meeting["topics"][1]["id"], 3, "AGREE"))["errors"] == []


async def test_the_opening_office_cancels_before_voting_only(owners: Owners) -> None:
    meeting = await owners.open_meeting()
    # another office may not; the community of the project neither (the street opened it)
    refused = await owners.call(
        owners.cast.community[0], CANCEL_MEETING, {"id": meeting["id"], "reason": "x"}
    )
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    cancelled = await owners.ok(
        owners.cast.street[0], CANCEL_MEETING, {"id": meeting["id"], "reason": "议题需调整"}
    )
    assert cancelled["meeting"]["status"] == "CANCELLED"
    assert await _todos(owners, "owner_1") == []
