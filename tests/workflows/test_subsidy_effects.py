"""One transaction per mutation; the outbox and its delivery; exact amounts; evidence; dashboards."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from propgraph.models import Evidence, Notification
from propgraph.workflows import outbox
from propgraph.workflows.subsidy import subsidy_amount
from tests.support.subsidy import DELETE, PDF, REPORT, REVIEW, Flow, cast_for
from tests.workflows.conftest import Subsidy, workflow_state


async def test_a_failure_between_state_change_and_audit_leaves_nothing(
    subsidy: Subsidy, monkeypatch: pytest.MonkeyPatch
) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.to_status(round_id, "SUBMITTED")
    before = await workflow_state(subsidy)

    async def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # the status UPDATE runs, then the audit write fails
    monkeypatch.setattr(
        "propgraph.workflows.subsidy.record_transition",
        broken_audit,
    )
    body = await subsidy.app.client(cast.community[0]).execute(
        REVIEW, {"input": {"id": app["id"], "version": app["version"], "decision": "APPROVE"}}
    )
    # the caller gets a masked error, no internals
    assert body["errors"][0]["message"] == "Internal error."
    assert "disk full" not in str(body)
    # and the database holds exactly what it held before: no status change, no to-do, no outbox row
    assert await workflow_state(subsidy) == before


async def test_outbox_delivery_retries_until_sent(subsidy: Subsidy) -> None:
    flow = subsidy.flow
    round_id = await flow.open_round()
    await flow.to_status(round_id, "SUBMITTED")
    engine = subsidy.app.services.engine
    queued = await subsidy.count(Notification, Notification.sent_at.is_(None))
    assert queued == len(subsidy.cast.community)

    class FlakySender:
        def __init__(self) -> None:
            self.calls = 0
            self.sent: list[str] = []

        async def send(self, notification: object) -> None:
            self.calls += 1
            if self.calls == 1:
                raise ConnectionError("WeChat gateway unreachable")
            self.sent.append(notification.text)  # type: ignore[attr-defined]

    sender = FlakySender()
    now = subsidy.clock()
    # the first attempt fails for one row, which waits for a later retry
    assert await outbox.deliver_pending(engine, sender, now) == queued - 1
    failed = await subsidy.rows(select(Notification).where(Notification.sent_at.is_(None)))
    assert len(failed) == 1 and failed[0].attempts == 1 and "unreachable" in failed[0].last_error
    assert await outbox.deliver_pending(engine, sender, now) == 0  # not due yet
    assert await outbox.deliver_pending(engine, sender, now + timedelta(minutes=2)) == 1
    assert await subsidy.count(Notification, Notification.sent_at.is_(None)) == 0
    assert all("待您审核" in text for text in sender.sent)


async def test_notifications_can_be_marked_read(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    await flow.to_status(round_id, "SUBMITTED")
    client = subsidy.app.client(cast.community[0])
    data = await client.data(
        "{ me { unreadNotifications notifications { edges { node { id channel readAt } } } } }"
    )
    note = data["me"]["notifications"]["edges"][0]["node"]
    assert (
        data["me"]["unreadNotifications"] == 1
        and note["channel"] == "WECHAT"
        and note["readAt"] is None
    )
    mark = "mutation($id: ID!) { markNotificationRead(input: {id: $id}) { notification { readAt } errors { code } } }"
    assert (await client.data(mark, {"id": note["id"]}))["markNotificationRead"]["notification"][
        "readAt"
    ]
    assert (await client.data("{ me { unreadNotifications } }"))["me"]["unreadNotifications"] == 0
    # someone else's notification is not found
    other = await subsidy.app.client(cast.street[0]).data(mark, {"id": note["id"]})
    assert other["markNotificationRead"]["errors"] == [{"code": "NOT_FOUND"}]


def test_amounts_at_the_scale_of_seed_004_have_no_float_error() -> None:
    # 2,454 projects, 223 million m² in all, at 0.5 yuan for 2 months: 223 million yuan
    areas = [Decimal("90872.03")] * 2453
    areas.append(Decimal("223000000.00") - sum(areas, Decimal(0)))
    total = sum((subsidy_amount(a, Decimal("0.5"), 2) for a in areas), Decimal(0))
    assert total == Decimal("223000000.00")
    assert subsidy_amount(Decimal("0.01"), Decimal("0.5"), 1) == Decimal("0.01")  # half-up
    assert subsidy_amount(Decimal("100.33"), Decimal("0.3333"), 2) == Decimal("66.88")


async def test_a_batch_of_223_million_square_metres_pays_223_million_yuan(subsidy: Subsidy) -> None:
    round_id = await subsidy.flow.open_round()
    # three projects of one community, whose changed areas add up to 223,000,000.00 m²
    apps = []
    for project_pk, area in ((1, 99999999.99), (2, 99999999.99), (3, 23000000.02)):
        cast = await cast_for(subsidy.app, project_pk)
        flow = Flow(subsidy.app, cast)
        app = await flow.create(round_id, area=area)
        await flow.upload(cast.manager, app["id"])
        app = await flow.submit(app)
        app = await flow.review(cast.community[0], app)
        app = await flow.review(cast.street[0], app, confirmArea=True)
        app = await flow.review(cast.district[0], app)
        apps.append(app["id"])
    district = cast.district[0]
    batch = (await flow.ok(district, REPORT, {"roundId": round_id, "applicationIds": apps}))[
        "batch"
    ]
    assert batch["totalAmountExact"] == "223000000.00"
    assert batch["totalAmount"] == 223000000.0
    assert [a["amountExact"] for a in batch["applications"]] == [
        "99999999.99",
        "99999999.99",
        "23000000.02",
    ]
    figures = await subsidy.app.client(district).data(
        "query($r: ID) { subsidyFigures(roundId: $r) { total { applications projects area amount } } }",
        {"r": round_id},
    )
    assert figures["subsidyFigures"]["total"] == {
        "applications": 3,
        "projects": 3,
        "area": 223000000.0,
        "amount": 223000000.0,
    }


async def test_evidence_uploads_are_checked_stored_and_removed_with_the_draft(
    subsidy: Subsidy,
) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    # a PDF is stored under the upload folder, with its checked type and size
    evidence = (await flow.upload(cast.manager, app["id"], PDF, filename="../../etc/合同.pdf"))[
        "evidence"
    ]
    assert evidence["filename"] == "合同.pdf"
    assert evidence["contentType"] == "application/pdf" and evidence["size"] == len(PDF)
    stored = await subsidy.rows(select(Evidence.stored_as))
    assert (subsidy.upload_dir / stored[0][0]).read_bytes() == PDF
    # not a PDF, JPEG or PNG, empty, or too large: refused, nothing stored
    for content, name in ((b"MZ\x90\x00 executable", "x.pdf"), (b"", "empty.pdf")):
        payload = await flow.upload(cast.manager, app["id"], content, filename=name)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", "file")]
    subsidy.app.services.settings.upload_max_bytes = 64
    payload = await flow.upload(cast.manager, app["id"], PDF + b"x" * 64)
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", "file")]
    assert len(list(subsidy.upload_dir.rglob("*.pdf"))) == 1
    # someone else's manager may not upload
    other = await flow.upload(cast.other_manager, app["id"])
    assert other["errors"][0]["code"] == "NOT_FOUND"
    # deleting the draft removes its evidence, rows and files
    await flow.ok(cast.enterprise, DELETE, {"id": app["id"], "version": app["version"]})
    assert await subsidy.count(Evidence) == 0
    assert list(subsidy.upload_dir.rglob("*.pdf")) == []


async def test_no_upload_once_submitted(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.to_status(round_id, "SUBMITTED")
    payload = await flow.upload(cast.manager, app["id"])
    assert [e["code"] for e in payload["errors"]] == ["INVALID_STATE"]
    assert list(subsidy.upload_dir.rglob("*")) == [] or not any(
        p.is_file() for p in subsidy.upload_dir.rglob("*")
    )


FIGURES = """query($r: ID) { subsidyFigures(roundId: $r) { total { applications enterprises projects area }
  byStatus { status applications } } }"""


async def test_dashboard_figures_are_scoped(subsidy: Subsidy) -> None:
    round_id = await subsidy.flow.open_round()
    statuses = {1: "SUBMITTED", 2: "COMMUNITY_APPROVED", 4: "SUBMITTED"}
    casts = {}
    for project_pk, status in statuses.items():
        casts[project_pk] = cast = await cast_for(subsidy.app, project_pk)
        await Flow(subsidy.app, cast).to_status(round_id, status)
    draft_cast = await cast_for(subsidy.app, 5)
    await Flow(subsidy.app, draft_cast).create(round_id)  # a draft: enterprise only

    async def figures(username: str, query: str = FIGURES) -> dict:
        return await subsidy.app.client(username).data(query, {"r": round_id})

    city = (await figures(casts[1].city))["subsidyFigures"]
    assert city["total"]["applications"] == 3
    assert {s["status"]: s["applications"] for s in city["byStatus"]} == {
        "SUBMITTED": 2,
        "COMMUNITY_APPROVED": 1,
    }
    community = (await figures(casts[1].community[0]))["subsidyFigures"]
    same_community = sum(1 for cast in casts.values() if cast.community == casts[1].community)
    assert community["total"]["applications"] == same_community
    # per node: a district's figures, community by community
    per_node = await figures(
        casts[1].district[0],
        "query($r: ID) { communities { edges { node { id subsidyFigures(roundId: $r) { total { applications } } } } } }",
    )
    assert (
        sum(
            e["node"]["subsidyFigures"]["total"]["applications"]
            for e in per_node["communities"]["edges"]
        )
        == ((await figures(casts[1].district[0]))["subsidyFigures"]["total"]["applications"])
    )
    # an enterprise counts its own, drafts included
    enterprise = (await figures(draft_cast.enterprise))["subsidyFigures"]
    assert any(s["status"] == "DRAFT" for s in enterprise["byStatus"])
