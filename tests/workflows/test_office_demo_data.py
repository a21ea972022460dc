"""The small dataset carries office work in every state (issue 12, item 7)."""

from __future__ import annotations

from sqlalchemy import select

from propgraph.models import Notice
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


FIGURES = """{ evaluationFigures(year: 2025) { projects h1 { scored approved defaulted }
  h2 { scored approved defaulted } annualProjects meanAnnual }
  tenderFigures { filings byStatus { status filings } byTimeliness { timeliness filings } } }"""
NOTICES = "{ notices(first: 50) { edges { node { title recipients readCount } } } }"


async def test_small_dataset_figures_and_notices_partly_read(small_db_url: str) -> None:
    async with running_app(small_db_url) as app:
        # the city's figures show both halves, a default to 100, every status and band
        figures = await app.client("city_head").data(FIGURES)
        year = figures["evaluationFigures"]
        assert year["h1"]["scored"] > year["h1"]["approved"] > 0 and year["h2"]["approved"] > 0
        assert year["h1"]["defaulted"] >= 2  # one scored never approved, one never scored
        assert year["meanAnnual"] is not None and year["annualProjects"] == year["projects"]
        tender = figures["tenderFigures"]
        assert all(s["filings"] > 0 for s in tender["byStatus"]), tender
        assert all(t["filings"] > 0 for t in tender["byTimeliness"]), tender
        # each notice was read by some of its managers; one of them is read by part only
        async with app.services.engine.connect() as conn:
            publishers = set((await conn.execute(select(Notice.publisher_username))).scalars())
        assert len(publishers) == 2
        seen = []
        for publisher in publishers:
            edges = (await app.client(publisher).data(NOTICES))["notices"]["edges"]
            seen += [(e["node"]["readCount"], e["node"]["recipients"]) for e in edges]
        assert all(0 < read <= recipients for read, recipients in seen), seen
        assert any(read < recipients for read, recipients in seen), seen
