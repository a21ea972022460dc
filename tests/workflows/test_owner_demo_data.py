"""The demo's owner account votes through the API (issue 11: "an owner in the demo can
delegate, nominate, vote and rate")."""

from __future__ import annotations

from tests.support.app import running_app
from tests.support.databases import TestDatabases
from tests.support.owners import CAST_VOTE, TOPIC

OWN_MEETINGS = """{ me { scope { ... on Owner { verification units { id number building { project {
  id meetings { id title status topics { id rule } } } } voter { id } } id } } } }"""
TODOS = """{ todos(status: PENDING, first: 50) { edges { node { kind subject { __typename
  ... on Meeting { id } } } } } }"""


async def test_owner_1_votes_in_its_own_projects_demo_meeting(
    databases: TestDatabases, small_template_url: str
) -> None:
    url = await databases.copy(small_template_url)  # this test changes data
    async with running_app(url) as app:
        owner = app.client("owner_1")
        me = (await owner.data(OWN_MEETINGS))["me"]["scope"]
        assert me["verification"] != "UNVERIFIED"
        voting = {
            m["id"]: (unit, m)
            for unit in me["units"]
            for m in unit["building"]["project"]["meetings"]
            if m["status"] == "VOTING" and unit["voter"] == {"id": me["id"]}
        }
        assert voting, "the demo has a meeting in voting where owner_1 is a voter"
        todos = (await owner.data(TODOS))["todos"]["edges"]
        assert {t["node"]["subject"].get("id") for t in todos} >= set(voting)
        for unit, meeting in voting.values():
            for topic in meeting["topics"]:
                cast = {"topicId": topic["id"], "unitId": unit["id"], "choice": "AGREE"}
                payload = (await owner.data(CAST_VOTE, {"input": cast}))["castVote"]
                assert payload["errors"] == [], payload
                assert payload["vote"]["choice"] == "AGREE"
                again = (await owner.data(CAST_VOTE, {"input": cast}))["castVote"]
                assert [e["code"] for e in again["errors"]] == ["DUPLICATE"]
                mine = (await owner.data(TOPIC, {"id": topic["id"]}))["node"]["myVotes"]
                assert {"unit": {"id": unit["id"]}, "choice": "AGREE", "byDelegate": False} in mine
