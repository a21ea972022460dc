"""Any rejection needs a reason and returns to the manager, who may fix and resubmit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from propgraph.models import Notification
from tests.support.subsidy import PDF, REVIEW, TIMELINE
from tests.workflows.conftest import Subsidy

LEVELS = [
    ("community", "SUBMITTED"),
    ("street", "COMMUNITY_APPROVED"),
    ("district", "STREET_APPROVED"),
]


@pytest.mark.parametrize(("level", "status"), LEVELS)
async def test_rejection_at_each_level_returns_to_the_manager(
    subsidy: Subsidy, level: str, status: str
) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.to_status(round_id, status)
    reviewer = getattr(cast, level)[0]
    # a rejection without a reason changes nothing
    refused = await flow.call(
        reviewer, REVIEW, {"id": app["id"], "version": app["version"], "decision": "REJECT"}
    )
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("VALIDATION", "comment")]
    # with a reason it goes back to the manager
    returned = await flow.review(reviewer, app, "REJECT", comment="面积与备案不符")
    assert returned["status"] == "RETURNED"
    sms = await subsidy.rows(
        select(Notification).where(Notification.template == "subsidy.returned")
    )
    assert [(n.channel, n.recipient_phone) for n in sms] == [("SMS", cast.manager_phone)]
    assert "面积与备案不符" in sms[0].text
    # the manager sees it in their notifications (the SMS went to their phone)
    notes = await subsidy.app.client(cast.manager).data(
        "{ me { unreadNotifications notifications { edges { node { id template channel } } } } }"
    )
    assert notes["me"]["unreadNotifications"] >= 1
    assert notes["me"]["notifications"]["edges"][0]["node"]["template"] == "subsidy.returned"
    # the reviewer below is not asked again: the manager is
    todos = await subsidy.app.client(cast.manager).data("{ todos { edges { node { kind } } } }")
    assert [e["node"]["kind"] for e in todos["todos"]["edges"]] == ["subsidy.submit"]
    if level != "community":
        below = await subsidy.app.client(cast.community[0]).data("{ todos { totalCount } }")
        assert below["todos"]["totalCount"] == 0
    # the manager fixes the area (with evidence) and resubmits: back to the community
    evidence = (await flow.upload(cast.manager, app["id"], PDF))["evidence"]
    resubmitted = await flow.submit(
        returned, area=cast.recorded_area + 10, evidenceIds=[evidence["id"]]
    )
    assert resubmitted["status"] == "SUBMITTED" and resubmitted["areaChanged"]
    assert (await subsidy.app.client(cast.community[0]).data("{ todos { totalCount } }"))["todos"][
        "totalCount"
    ] == 1
    timeline = await subsidy.app.client(cast.manager).data(TIMELINE, {"id": app["id"]})
    actions = [(e["action"], e["toStatus"]) for e in timeline["node"]["timeline"]]
    assert ("subsidy.reject", "RETURNED") in actions and actions[-1] == (
        "subsidy.submit",
        "SUBMITTED",
    )


async def test_a_changed_area_must_be_confirmed_by_the_street(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    await flow.upload(cast.manager, app["id"])
    app = await flow.submit(app, area=cast.recorded_area - 100.25)
    app = await flow.review(cast.community[0], app)
    unconfirmed = await flow.call(
        cast.street[0], REVIEW, {"id": app["id"], "version": app["version"], "decision": "APPROVE"}
    )
    assert [(e["code"], e["field"]) for e in unconfirmed["errors"]] == [
        ("VALIDATION", "confirmArea")
    ]
    confirmed = await flow.review(cast.street[0], app, confirmArea=True)
    assert confirmed["status"] == "STREET_APPROVED" and confirmed["areaConfirmed"]
