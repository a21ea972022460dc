"""repairFigures per level: counts, budgets and paid of the visible repair projects."""

from __future__ import annotations

from decimal import Decimal

from tests.support.repair import PAY, Repairs

FIELDS = "repairFigures { projects budget paid byStatus { status projects budget paid } }"
NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on Project {{ {FIELDS} }} }} }}"""
OFFICE = f"""query($id: ID!) {{ node(id: $id) {{
  ... on Project {{ {FIELDS} community {{ {FIELDS} }} }} }} }}"""


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
