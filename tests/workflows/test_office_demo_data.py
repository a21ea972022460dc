"""The small dataset carries office work in every state (issue 12, item 7)."""

from __future__ import annotations

from tests.support.app import running_app

QUERY = """{ evaluations(first: 500) { edges { node { year half status project { id } } } }
  tenderFilings(first: 500) { edges { node { status workingDays timeliness timeline { to } } } } }"""
YEAR = """query($id: ID!) { node(id: $id) { ... on Project { evaluationScore(year: 2025) {
  h1 h2 annual } } } }"""


async def test_small_dataset_has_office_work_in_every_state(small_db_url: str) -> None:
    async with running_app(small_db_url) as app:
        client = app.client("city_head")
        data = await client.data(QUERY)
        evaluations = [e["node"] for e in data["evaluations"]["edges"]]
        assert {(e["year"], e["half"]) for e in evaluations} == {
            (2025, "H1"),
            (2025, "H2"),
            (2026, "H1"),
        }
        assert {e["status"] for e in evaluations} == {"SCORED", "APPROVED"}
        filings = [e["node"] for e in data["tenderFilings"]["edges"]]
        assert {f["status"] for f in filings} == {"FILED", "CLERK_REVIEWED", "APPROVED", "REJECTED"}
        decided = [f for f in filings if f["status"] in ("APPROVED", "REJECTED")]
        assert {f["timeliness"] for f in decided} == {"NORMAL", "OVERDUE", "SEVERELY_OVERDUE"}
        assert all(f["timeline"][0]["to"] == "FILED" for f in filings)
        # a half scored but never approved, and one never scored, count 100
        defaulted = [
            e for e in evaluations if (e["year"], e["half"], e["status"]) == (2025, "H1", "SCORED")
        ]
        assert len(defaulted) == 1
        score = await client.data(YEAR, {"id": defaulted[0]["project"]["id"]})
        assert score["node"]["evaluationScore"]["h1"] == 100.0
