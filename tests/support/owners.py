"""Driving the owners' workflows in tests (SPEC 3.2), on the tiny dataset's project 1.

Project 1 holds unit 1 and 3 (owner_1 alone) and unit 2 (owner_2 and owner_3
together); the cast and the steps of the subsidy helpers are reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from propgraph.clock import CITY_TZ
from propgraph.schema.relay import to_global_id
from tests.support.app import RunningApp
from tests.support.subsidy import ERRORS, Cast, Clock, Flow

VERIFY = f"""mutation($input: VerifyOwnerInput!) {{ verifyOwner(input: $input) {{
  owner {{ id verification }} {ERRORS} }} }}"""
DELEGATION_FIELDS = """id active delegateName delegatePhone delegateUsername startsOn endsOn revokedAt
  project { id } owner { id }"""
CREATE_DELEGATION = f"""mutation($input: CreateDelegationInput!) {{ createDelegation(input: $input) {{
  delegation {{ {DELEGATION_FIELDS} }} {ERRORS} }} }}"""
REVOKE_DELEGATION = f"""mutation($input: RevokeDelegationInput!) {{ revokeDelegation(input: $input) {{
  delegation {{ {DELEGATION_FIELDS} }} {ERRORS} }} }}"""
NOMINATE = f"""mutation($input: NominateVoterInput!) {{ nominateVoter(input: $input) {{
  unit {{ id voter {{ id }} nominations {{ owner {{ id }} nominee {{ id }} }} }} {ERRORS} }} }}"""
MEETING_FIELDS = """id title status version votingStartsAt votingEndsAt
  topics { id title rule result { passed participatingUnits agree { units area } } }"""
OPEN_MEETING = f"""mutation($input: OpenMeetingInput!) {{ openMeeting(input: $input) {{
  meeting {{ {MEETING_FIELDS} }} {ERRORS} }} }}"""
CANCEL_MEETING = f"""mutation($input: CancelMeetingInput!) {{ cancelMeeting(input: $input) {{
  meeting {{ id status cancelReason }} {ERRORS} }} }}"""
CAST_VOTE = f"""mutation($input: CastVoteInput!) {{ castVote(input: $input) {{
  vote {{ unit {{ id }} choice byDelegate }} {ERRORS} }} }}"""
RATE = f"""mutation($input: RateProjectInput!) {{ rateProject(input: $input) {{
  project {{ id rating {{ average count rank items {{ item average count }} }} }} {ERRORS} }} }}"""
TOPIC = """query($id: ID!) { node(id: $id) { ... on Topic { id title
  myVotes { unit { id } choice byDelegate }
  result { rule passed eligibleUnits eligibleArea participatingUnits participatingArea
           agree { units area } disagree { units area } abstain { units area } } } } }"""
MEETING = f"""query($id: ID!) {{ node(id: $id) {{ ... on Meeting {{ {MEETING_FIELDS} }} }} }}"""
UNIT = """query($id: ID!) { node(id: $id) { ... on Unit { id voter { id } } } }"""

STARS = [
    {"item": item, "stars": stars}
    for item, stars in zip(
        ("SERVICE_ATTITUDE", "CLEANING", "SECURITY", "MAINTENANCE", "GREENING"),
        (5, 4, 4, 3, 5),
        strict=True,
    )
]


def unit_id(pk: int) -> str:
    return to_global_id("Unit", pk)


def owner_id(pk: int) -> str:
    return to_global_id("Owner", pk)


@dataclass
class Owners:
    """The app on a settable clock, the subsidy cast of project 1, and owners' steps."""

    app: RunningApp
    clock: Clock
    cast: Cast
    flow: Flow

    async def call(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        return await self.flow.call(username, mutation, input)

    async def ok(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        return await self.flow.ok(username, mutation, input)

    async def node(self, username: str, query: str, gid: str) -> Any:
        return (await self.app.client(username).data(query, {"id": gid}))["node"]

    def meeting_input(self, *, days: int = 3, length: int = 7, **overrides: Any) -> dict[str, Any]:
        now = self.clock().astimezone(CITY_TZ)
        starts = now + timedelta(days=days)
        return {
            "projectId": self.cast.project_id,
            "title": "2020年第一次业主大会",
            "publicityStartsOn": now.date().isoformat(),
            "votingStartsAt": starts.isoformat(),
            "votingEndsAt": (starts + timedelta(days=length)).isoformat(),
            "topics": [
                {"title": "使用维修资金更换电梯", "rule": "DOUBLE_TWO_THIRDS"},
                {"title": "选聘物业服务企业", "rule": "MAJOR"},
                {"title": "调整停车管理规约", "rule": "ORDINARY"},
            ],
            **overrides,
        }

    async def open_meeting(self, username: str | None = None, **overrides: Any) -> dict[str, Any]:
        payload = await self.ok(
            username or self.cast.street[0], OPEN_MEETING, self.meeting_input(**overrides)
        )
        return payload["meeting"]

    def to_voting(self, meeting: dict[str, Any]) -> None:
        self.clock.now = datetime.fromisoformat(meeting["votingStartsAt"]) + timedelta(hours=1)

    def to_closed(self, meeting: dict[str, Any]) -> None:
        self.clock.now = datetime.fromisoformat(meeting["votingEndsAt"]) + timedelta(minutes=1)

    async def vote(self, username: str, topic: str, unit: int, choice: str) -> dict[str, Any]:
        return await self.call(
            username, CAST_VOTE, {"topicId": topic, "unitId": unit_id(unit), "choice": choice}
        )
