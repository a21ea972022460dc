"""repairFigures per level: counts, budgets and paid of the visible repair projects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from tests.support.app import running_app
from tests.support.repair import PAY, Repairs
from tests.support.subsidy import Flow, cast_for, in_window_clock

FIELDS = "repairFigures { projects budget paid byStatus { status projects budget paid } }"
NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on Project {{ {FIELDS} }} }} }}"""
OFFICE = f"""query($id: ID!) {{ node(id: $id) {{
  ... on Project {{ {FIELDS} community {{ {FIELDS} }} }} }} }}"""


@pytest.fixture
async def repairs(fresh_tiny_url: str) -> AsyncIterator[Repairs]:
    clock = in_window_clock()
    async with running_app(fresh_tiny_url, clock=clock) as app:
        cast = await cast_for(app)
        yield Repairs(app, clock, cast, Flow(app, cast))


async def test_figures_count_by_status_and_offices_skip_drafts(repairs: Repairs) -> None:
    # given one draft and one approved repair with 300.00 paid, in the project
    await repairs.create("EMERGENCY", budget="500.00", stages=["200.00", "300.00"])
    approved = await repairs.to_approved("EMERGENCY")
    await repairs.step(PAY, approved, stage=1, amount="300.00")
    # when the manager reads its project's figures
    data = await repairs.app.client(repairs.cast.manager).data(
        NODE, {"id": repairs.cast.project_id}
    )
    figures = data["node"]["repairFigures"]
    # then both count, by status
    assert (figures["projects"], Decimal(figures["budget"]), Decimal(figures["paid"])) == (
        2,
        Decimal("1500.00"),
        Decimal("300.00"),
    )
    assert {s["status"]: s["projects"] for s in figures["byStatus"]} == {
        "DRAFT": 1,
        "APPROVED": 1,
    }
    # and the community office sees the project's figures without the draft
    office = await repairs.app.client(repairs.cast.community[0]).data(
        OFFICE, {"id": repairs.cast.project_id}
    )
    for level in (office["node"]["repairFigures"], office["node"]["community"]["repairFigures"]):
        assert (level["projects"], level["paid"]) == (1, "300.00")
        assert [s["status"] for s in level["byStatus"]] == ["APPROVED"]
