"""The demo dataset shows a living workflow: applications in every status."""

from __future__ import annotations

from tests.support.app import running_app

STATUSES = {
    "DRAFT",
    "SUBMITTED",
    "COMMUNITY_APPROVED",
    "STREET_APPROVED",
    "DISTRICT_APPROVED",
    "REPORTED",
    "PAID",
    "RETURNED",
}


async def test_small_dataset_has_applications_in_every_status(small_db_url: str) -> None:
    async with running_app(small_db_url) as app:
        client = app.client("city_head")
        data = await client.data(
            """{ subsidyRounds { name isOpen } subsidyFigures { total { applications amount }
                 byStatus { status applications } } }"""
        )
        # the city sees everything but drafts; the enterprises see their drafts
        seen = {s["status"] for s in data["subsidyFigures"]["byStatus"]}
        assert seen == STATUSES - {"DRAFT"}
        assert data["subsidyFigures"]["total"]["amount"] > 0
        assert [r["name"] for r in data["subsidyRounds"]][1] == "2020年物业服务企业疫情防控补贴"
        assert any(r["isOpen"] for r in data["subsidyRounds"])
        applications = await client.data(
            "{ subsidyApplications(first: 100) { edges { node { status timeline { action } } } } }"
        )
        for edge in applications["subsidyApplications"]["edges"]:
            assert edge["node"]["timeline"][0]["action"] == "subsidy.create"
        # offices have work waiting: pending reviews exist somewhere in the city
        from sqlalchemy import func, select

        from propgraph.models import Todo

        async with app.services.engine.connect() as conn:
            pending = await conn.scalar(
                select(func.count()).select_from(Todo).where(Todo.status == "PENDING")
            )
        assert pending > 0
