"""Issue 9.6: the manager account hears of results, and reviewers can open the evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from propgraph.models import Notification
from tests.support.app import token_for
from tests.support.subsidy import PDF
from tests.workflows.conftest import Subsidy

OTHER_PHONE = "13900001111"  # typed on the application; not the manager account's phone
EVIDENCE_URLS = "query($id: ID!) { node(id: $id) { ... on SubsidyApplication { evidence { id url filename } } } }"


async def test_a_rejection_reaches_the_manager_account_and_the_typed_phone(
    subsidy: Subsidy,
) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    # given an application whose typed phone is not the manager account's
    round_id = await flow.open_round()
    app = await flow.create(round_id, managerPhone=OTHER_PHONE)
    submitted = await flow.submit(app)
    # when the community rejects it
    await flow.review(cast.community[0], submitted, "REJECT", comment="材料不全")
    # then the SMS goes to the typed phone, and the manager account gets it in-app
    sent = await subsidy.rows(
        select(Notification).where(Notification.template == "subsidy.returned")
    )
    assert {(n.channel, n.recipient_phone) for n in sent if n.channel == "SMS"} == {
        ("SMS", OTHER_PHONE)
    }
    notes = await subsidy.app.client(cast.manager).data(
        "{ me { notifications { edges { node { template channel } } } } }"
    )
    templates = [e["node"] for e in notes["me"]["notifications"]["edges"]]
    assert {"template": "subsidy.returned", "channel": "WECHAT"} in templates


async def test_no_second_message_when_the_typed_phone_is_the_managers(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    submitted = await flow.submit(await flow.create(round_id))  # the account's own phone
    await flow.review(cast.community[0], submitted, "REJECT", comment="材料不全")
    sent = await subsidy.rows(
        select(Notification).where(Notification.template == "subsidy.returned")
    )
    assert [(n.channel, n.recipient_phone) for n in sent] == [("SMS", cast.manager_phone)]


async def _evidence(subsidy: Subsidy) -> tuple[str, dict]:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    await flow.upload(cast.manager, app["id"], PDF)
    await flow.submit(app)
    data = await subsidy.app.client(cast.community[0]).data(EVIDENCE_URLS, {"id": app["id"]})
    return app["id"], data["node"]["evidence"][0]


@pytest.mark.parametrize("who", ["manager", "enterprise", "community", "street", "district"])
async def test_the_reviewers_and_the_applicant_can_download_the_evidence(
    subsidy: Subsidy, who: str
) -> None:
    _, evidence = await _evidence(subsidy)
    username = getattr(subsidy.cast, who)
    username = username[0] if isinstance(username, list) else username
    response = await subsidy.app.http.get(
        evidence["url"], headers={"Authorization": f"Bearer {token_for(username)}"}
    )
    assert response.status_code == 200, response.text
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "who",
    ["other_community", "other_street", "other_district", "other_enterprise", "other_manager"],
)
async def test_others_get_the_answer_of_an_unknown_id(subsidy: Subsidy, who: str) -> None:
    _, evidence = await _evidence(subsidy)
    headers = {"Authorization": f"Bearer {token_for(getattr(subsidy.cast, who))}"}
    response = await subsidy.app.http.get(evidence["url"], headers=headers)
    unknown = await subsidy.app.http.get("/evidence/RXZpZGVuY2U6OTk5OTk=", headers=headers)
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()


async def test_no_token_or_a_bad_one_is_refused(subsidy: Subsidy) -> None:
    _, evidence = await _evidence(subsidy)
    assert (await subsidy.app.http.get(evidence["url"])).status_code == 401
    bad = await subsidy.app.http.get(evidence["url"], headers={"Authorization": "Bearer x"})
    assert bad.status_code == 401
