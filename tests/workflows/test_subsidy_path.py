"""The whole path through all five acting roles, with timeline, to-dos and outbox."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from propgraph.models import Notification, Todo
from tests.support.subsidy import PAID, REPORT, TIMELINE
from tests.workflows.conftest import Subsidy

TODOS = """query($s: TodoStatus!) { todos(status: $s) { totalCount edges { node { kind title subject { id } } } } }"""


async def _todos(subsidy: Subsidy, username: str, status: str = "PENDING") -> list[dict]:
    data = await subsidy.app.client(username).data(TODOS, {"s": status})
    return [e["node"] for e in data["todos"]["edges"]]


async def test_the_whole_path(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    # the city opens a round; the enterprise drafts, the area defaulting to the record
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    assert app["status"] == "DRAFT" and app["area"] == cast.recorded_area and not app["areaChanged"]
    # the draft waits for the manager
    assert [t["kind"] for t in await _todos(subsidy, cast.manager)] == ["subsidy.submit"]
    # manager submits, with the pledge
    app = await flow.submit(app)
    assert app["status"] == "SUBMITTED" and app["pledgeAccepted"]
    assert await _todos(subsidy, cast.manager) == []
    assert [t["kind"] for t in await _todos(subsidy, cast.manager, "DONE")] == ["subsidy.submit"]
    # every account of the community sees the pending review; other communities do not
    for username in cast.community:
        assert [t["subject"]["id"] for t in await _todos(subsidy, username)] == [app["id"]]
    assert await _todos(subsidy, cast.other_community) == []
    # community, street, district approve in turn
    app = await flow.review(cast.community[1], app, comment="材料齐全")
    assert app["status"] == "COMMUNITY_APPROVED"
    assert await _todos(subsidy, cast.community[0]) == []
    assert len(await _todos(subsidy, cast.community[1], "DONE")) == 1
    assert len(await _todos(subsidy, cast.street[0])) == 1
    app = await flow.review(cast.street[0], app)
    assert app["status"] == "STREET_APPROVED"
    app = await flow.review(cast.district[0], app)
    assert app["status"] == "DISTRICT_APPROVED" and app["amount"] is None
    assert [t["kind"] for t in await _todos(subsidy, cast.district[1])] == ["subsidy.report"]
    # the district reports a batch: amount = area × 0.5 × 2
    batch = (
        await flow.ok(
            cast.district[0], REPORT, {"roundId": round_id, "applicationIds": [app["id"]]}
        )
    )["batch"]
    expected = (Decimal(str(cast.recorded_area)) * Decimal("0.5") * 2).quantize(Decimal("0.01"))
    assert batch["applications"] == [
        {
            "id": app["id"],
            "status": "REPORTED",
            "amount": float(expected),
            "amountExact": str(expected),
        }
    ]
    assert batch["totalAmountExact"] == str(expected)
    assert await _todos(subsidy, cast.district[1]) == []
    # and marks it paid
    paid = (
        await flow.ok(cast.district[0], PAID, {"batchId": batch["id"], "paidOn": "2020-02-20"})
    )["batch"]
    assert paid["paidOn"] == "2020-02-20" and paid["applications"][0]["status"] == "PAID"

    # the timeline holds every transition, in order, visible to manager and enterprise
    for username in (cast.manager, cast.enterprise):
        data = await subsidy.app.client(username).data(TIMELINE, {"id": app["id"]})
        steps = [
            (e["action"], e["fromStatus"], e["toStatus"], e["role"])
            for e in data["node"]["timeline"]
        ]
        assert steps == [
            ("subsidy.create", None, "DRAFT", "ENTERPRISE"),
            ("subsidy.submit", "DRAFT", "SUBMITTED", "MANAGER"),
            ("subsidy.approve", "SUBMITTED", "COMMUNITY_APPROVED", "COMMUNITY"),
            ("subsidy.approve", "COMMUNITY_APPROVED", "STREET_APPROVED", "STREET"),
            ("subsidy.approve", "STREET_APPROVED", "DISTRICT_APPROVED", "DISTRICT"),
            ("subsidy.report", "DISTRICT_APPROVED", "REPORTED", "DISTRICT"),
            ("subsidy.paid", "REPORTED", "PAID", "DISTRICT"),
        ]
        assert data["node"]["timeline"][2]["comment"] == "材料齐全"
        assert data["node"]["timeline"][2]["actor"] == cast.community[1]

    # the outbox: WECHAT to each reviewing office's accounts, SMS to the manager at the end
    notes = await subsidy.rows(select(Notification).order_by(Notification.id))
    wechat = [(n.template, n.recipient_account_id) for n in notes if n.channel == "WECHAT"]
    assert len(wechat) == len(cast.community) + len(cast.street) + len(cast.district)
    assert {t for t, _ in wechat} == {"subsidy.review_requested"}
    sms = [(n.template, n.recipient_phone) for n in notes if n.channel == "SMS"]
    assert sms == [("subsidy.approved", cast.manager_phone), ("subsidy.paid", cast.manager_phone)]
    pending = await subsidy.count(Todo, Todo.status == "PENDING")
    assert pending == 0


async def test_offices_do_not_see_drafts(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    query = "query($id: ID!) { node(id: $id) { id } }"
    for username in (cast.city, cast.district[0], cast.street[0], cast.community[0]):
        assert (await subsidy.app.client(username).data(query, {"id": app["id"]}))["node"] is None
    for username in (cast.enterprise, cast.manager):
        assert (await subsidy.app.client(username).data(query, {"id": app["id"]}))["node"] == {
            "id": app["id"]
        }
    submitted = await flow.submit(app)
    assert (await subsidy.app.client(cast.community[0]).data(query, {"id": submitted["id"]}))[
        "node"
    ]
    # and never outside the office's subtree, nor for other enterprises and managers
    for username in (
        cast.other_community,
        cast.other_street,
        cast.other_district,
        cast.other_enterprise,
        cast.other_manager,
    ):
        assert (await subsidy.app.client(username).data(query, {"id": app["id"]}))["node"] is None
