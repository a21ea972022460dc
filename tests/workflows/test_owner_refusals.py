"""Every owners' refusal is one typed error and writes nothing; racing votes count once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select, text

from propgraph.models import Vote
from tests.support.owners import (
    CREATE_DELEGATION,
    NOMINATE,
    RATE,
    STARS,
    VERIFY,
    Owners,
    owner_id,
    unit_id,
)

OWNER_TABLES = (
    "owners",
    "accounts",
    "delegations",
    "voter_nominations",
    "meetings",
    "meeting_topics",
    "votes",
    "ratings",
    "audit_entries",
    "notifications",
    "todos",
)


async def state(owners: Owners) -> dict[str, list]:
    rows = {}
    async with owners.app.services.engine.connect() as conn:
        for name in OWNER_TABLES:
            rows[name] = [
                tuple(r) for r in await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))
            ]
    return rows


async def refused(owners: Owners, username: str, mutation: str, input: dict[str, Any]) -> str:
    before = await state(owners)
    payload = await owners.call(username, mutation, input)
    assert len(payload["errors"]) == 1, payload
    assert await state(owners) == before, "a refusal wrote something"
    return payload["errors"][0]["code"]


async def test_of_racing_votes_for_one_unit_exactly_one_counts(owners: Owners) -> None:
    # given unit 2's owners agree on owner_3, and voting is open
    for who in ("owner_2", "owner_3"):
        await owners.ok(who, NOMINATE, {"unitId": unit_id(2), "nomineeId": owner_id(3)})
    meeting = await owners.open_meeting()
    owners.to_voting(meeting)
    topic = meeting["topics"][0]["id"]
    # when the voter (on two phones) and the co-owner vote at the same moment
    results = await asyncio.gather(
        *(owners.vote("owner_3", topic, 2, c) for c in ("AGREE", "DISAGREE", "AGREE", "ABSTAIN")),
        owners.vote("owner_2", topic, 2, "DISAGREE"),
    )
    # then exactly one vote is counted; the others are DUPLICATE (or FORBIDDEN: not the voter)
    assert sum(not r["errors"] for r in results) == 1
    codes = sorted(r["errors"][0]["code"] for r in results if r["errors"])
    assert codes == ["DUPLICATE", "DUPLICATE", "DUPLICATE", "FORBIDDEN"]
    async with owners.app.services.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Vote)) == 1


async def test_owner_and_delegate_at_once_count_once(owners: Owners) -> None:
    await owners.ok(
        "owner_1",
        CREATE_DELEGATION,
        {
            "projectId": owners.cast.project_id,
            "delegateName": "王五",
            "delegatePhone": "13912345678",
            "startsOn": owners.clock().date().isoformat(),
            "endsOn": "2020-12-31",
        },
    )
    meeting = await owners.open_meeting()
    owners.to_voting(meeting)
    topic = meeting["topics"][0]["id"]
    results = await asyncio.gather(
        owners.vote("owner_1", topic, 1, "AGREE"),
        owners.vote("delegate_13912345678", topic, 1, "DISAGREE"),
        owners.vote("delegate_13912345678", topic, 1, "AGREE"),
    )
    assert sum(not r["errors"] for r in results) == 1
    async with owners.app.services.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Vote)) == 1


async def test_vote_refusals_write_nothing(owners: Owners) -> None:
    meeting = await owners.open_meeting()
    topic = meeting["topics"][0]["id"]
    # outside the period
    assert await refused(owners, "owner_1", *_vote(topic, 1)) == "INVALID_STATE"
    owners.to_voting(meeting)
    # unit 2's owners have not agreed: neither votes
    assert await refused(owners, "owner_2", *_vote(topic, 2)) == "FORBIDDEN"
    # a unit of another project that the owner owns (owner_1's unit 9 is in project 2)
    assert await refused(owners, "owner_1", *_vote(topic, 9)) == "VALIDATION"
    # someone else's unit: it does not exist for the caller
    assert await refused(owners, "owner_1", *_vote(topic, 4)) == "NOT_FOUND"
    # an unverified owner (the office withdraws owner_1's verification)
    await owners.ok(
        owners.cast.community[0], VERIFY, {"ownerId": owner_id(1), "verification": "UNVERIFIED"}
    )
    assert await refused(owners, "owner_1", *_vote(topic, 1)) == "FORBIDDEN"
    # after the end
    owners.to_closed(meeting)
    await owners.ok(
        owners.cast.community[0], VERIFY, {"ownerId": owner_id(1), "verification": "OFFLINE"}
    )
    assert await refused(owners, "owner_1", *_vote(topic, 1)) == "INVALID_STATE"


def _vote(topic: str, unit: int) -> tuple[str, dict[str, Any]]:
    from tests.support.owners import CAST_VOTE

    return CAST_VOTE, {"topicId": topic, "unitId": unit_id(unit), "choice": "AGREE"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"nomineeId": owner_id(1)}, "VALIDATION"),  # not an owner of unit 2
        ({"unitId": unit_id(1)}, "NOT_FOUND"),  # owner_1's unit, not owner_2's
    ],
)
async def test_nomination_refusals(owners: Owners, change: dict[str, str], code: str) -> None:
    input = {"unitId": unit_id(2), "nomineeId": owner_id(3), **change}
    assert await refused(owners, "owner_2", NOMINATE, input) == code


async def test_one_delegation_per_owner_and_project(owners: Owners) -> None:
    input = {
        "projectId": owners.cast.project_id,
        "delegateName": "王五",
        "delegatePhone": "13912345678",
        "startsOn": owners.clock().date().isoformat(),
        "endsOn": "2020-12-31",
    }
    await owners.ok("owner_1", CREATE_DELEGATION, input)
    again = {**input, "delegatePhone": "13987654321"}
    assert await refused(owners, "owner_1", CREATE_DELEGATION, again) == "DUPLICATE"
    # a phone already acting for someone else in force
    assert await refused(owners, "owner_2", CREATE_DELEGATION, input) == "DUPLICATE"
    # a period in the past
    past = {**again, "startsOn": "2019-01-01"}
    assert await refused(owners, "owner_2", CREATE_DELEGATION, past) == "VALIDATION"


@pytest.mark.parametrize(
    "stars",
    [
        STARS[:4],
        [*STARS[:4], {"item": "GREENING", "stars": 6}],
        [*STARS, {"item": "CLEANING", "stars": 3}],
        [*STARS[:4], {"item": "PARKING", "stars": 3}],
    ],
)
async def test_rating_refusals(owners: Owners, stars: list[dict[str, Any]]) -> None:
    input = {"projectId": owners.cast.project_id, "stars": stars}
    assert await refused(owners, "owner_1", RATE, input) == "VALIDATION"


async def test_offices_verify_only_in_their_subtree(owners: Owners) -> None:
    input = {"ownerId": owner_id(1), "verification": "FACE"}
    assert await refused(owners, owners.cast.other_street, VERIFY, input) == "NOT_FOUND"
