"""Refusals: out of scope is NOT_FOUND, wrong stage INVALID_STATE, stale CONFLICT, bad input
VALIDATION; each changes nothing at all."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from tests.support.subsidy import (
    CREATE,
    DELETE,
    OPEN_ROUND,
    PAID,
    PDF,
    REPORT,
    REVIEW,
    ROUND,
    SUBMIT,
    UPDATE,
)
from tests.workflows.conftest import Subsidy, workflow_state


async def refused(
    subsidy: Subsidy, username: str, mutation: str, input: dict[str, Any]
) -> tuple[str, str | None]:
    """Call, expect exactly one error, and that nothing at all was written."""
    before = await workflow_state(subsidy)
    payload = await subsidy.flow.call(username, mutation, input)
    assert len(payload["errors"]) == 1, payload
    assert await workflow_state(subsidy) == before, "a refused mutation wrote something"
    assert all(v is None for k, v in payload.items() if k != "errors"), payload
    error = payload["errors"][0]
    assert error["message"] and "Traceback" not in error["message"]
    return error["code"], error["field"]


async def test_out_of_scope_actors_get_not_found(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    draft = await flow.create(round_id)
    # another enterprise may not edit, delete or create for this project
    update = {"id": draft["id"], "version": draft["version"], "managerName": "王五"}
    assert await refused(subsidy, cast.other_enterprise, UPDATE, update) == ("NOT_FOUND", "id")
    assert await refused(
        subsidy, cast.other_enterprise, DELETE, {"id": draft["id"], "version": 1}
    ) == ("NOT_FOUND", "id")
    assert await refused(
        subsidy, cast.other_enterprise, CREATE, flow.application_input(round_id)
    ) == ("NOT_FOUND", "projectId")
    # another manager may not submit it
    submit = {"id": draft["id"], "version": draft["version"], "acceptPledge": True}
    assert await refused(subsidy, cast.other_manager, SUBMIT, submit) == ("NOT_FOUND", "id")
    submitted = await flow.submit(draft)
    review = {"id": submitted["id"], "version": submitted["version"], "decision": "APPROVE"}
    # offices outside the project's subtree see nothing
    for username in (cast.other_community, cast.other_street, cast.other_district):
        assert await refused(subsidy, username, REVIEW, review) == ("NOT_FOUND", "id")
    # an id of another type, or garbage, is the same answer
    assert await refused(subsidy, cast.community[0], REVIEW, {**review, "id": cast.project_id}) == (
        "NOT_FOUND",
        "id",
    )
    assert await refused(subsidy, cast.community[0], REVIEW, {**review, "id": "garbage"}) == (
        "NOT_FOUND",
        "id",
    )
    # a district may not report another district's applications
    app = await flow.review(cast.community[0], submitted)
    app = await flow.review(cast.street[0], app)
    app = await flow.review(cast.district[0], app)
    report = {"roundId": round_id, "applicationIds": [app["id"]]}
    assert await refused(subsidy, cast.other_district, REPORT, report) == (
        "NOT_FOUND",
        "applicationIds",
    )


async def test_the_wrong_stage_is_invalid_state(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.to_status(round_id, "SUBMITTED")
    review = {"id": app["id"], "version": app["version"], "decision": "APPROVE"}
    # street and district may not act before the community
    assert await refused(subsidy, cast.street[0], REVIEW, review) == ("INVALID_STATE", None)
    assert await refused(subsidy, cast.district[0], REVIEW, review) == ("INVALID_STATE", None)
    # the enterprise may no longer edit or delete it; the manager may not submit twice
    assert await refused(
        subsidy, cast.enterprise, UPDATE, {"id": app["id"], "version": app["version"], "area": 10}
    ) == ("INVALID_STATE", None)
    assert await refused(
        subsidy, cast.enterprise, DELETE, {"id": app["id"], "version": app["version"]}
    ) == ("INVALID_STATE", None)
    assert await refused(
        subsidy,
        cast.manager,
        SUBMIT,
        {"id": app["id"], "version": app["version"], "acceptPledge": True},
    ) == ("INVALID_STATE", None)
    # nothing is reported before district approval
    assert await refused(
        subsidy, cast.district[0], REPORT, {"roundId": round_id, "applicationIds": [app["id"]]}
    ) == ("INVALID_STATE", None)


async def test_a_stale_version_is_a_conflict(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    await flow.ok(
        cast.enterprise, UPDATE, {"id": app["id"], "version": app["version"], "managerName": "王五"}
    )
    stale = {"id": app["id"], "version": app["version"], "managerName": "赵六"}
    assert await refused(subsidy, cast.enterprise, UPDATE, stale) == ("CONFLICT", "version")


async def test_of_two_racing_reviewers_exactly_one_wins(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.to_status(round_id, "SUBMITTED")
    head, clerk = cast.community[0], cast.community[1]
    # both read version N and decide at the same moment, differently
    approve = {"id": app["id"], "version": app["version"], "decision": "APPROVE"}
    reject = {
        "id": app["id"],
        "version": app["version"],
        "decision": "REJECT",
        "comment": "资料不全",
    }
    results = await asyncio.gather(
        flow.call(head, REVIEW, approve), flow.call(clerk, REVIEW, reject)
    )
    winners = [r for r in results if not r["errors"]]
    losers = [r for r in results if r["errors"]]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0]["errors"][0]["code"] == "CONFLICT"
    # exactly one transition was recorded
    timeline = await subsidy.app.client(cast.manager).data(
        "query($id: ID!) { node(id: $id) { ... on SubsidyApplication { version timeline { action } } } }",
        {"id": app["id"]},
    )
    actions = [e["action"] for e in timeline["node"]["timeline"]]
    assert actions.count("subsidy.approve") + actions.count("subsidy.reject") == 1
    assert timeline["node"]["version"] == app["version"] + 1


async def test_many_racers_one_winner(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    updates = [
        flow.call(
            cast.enterprise,
            UPDATE,
            {"id": app["id"], "version": app["version"], "managerName": f"经理{i}"},
        )
        for i in range(6)
    ]
    results = await asyncio.gather(*updates)
    assert sum(not r["errors"] for r in results) == 1
    assert {r["errors"][0]["code"] for r in results if r["errors"]} == {"CONFLICT"}


BAD_ROUNDS = [
    ({"name": ""}, "name"),
    ({"name": "x" * 129}, "name"),
    ({"ratePerSqmMonth": 0}, "ratePerSqmMonth"),
    ({"ratePerSqmMonth": -0.5}, "ratePerSqmMonth"),
    ({"ratePerSqmMonth": 0.12345}, "ratePerSqmMonth"),
    ({"months": 0}, "months"),
    ({"months": 25}, "months"),
    ({"opensOn": "2020-04-01", "closesOn": "2020-03-31"}, "closesOn"),
]


@pytest.mark.parametrize(("change", "field"), BAD_ROUNDS)
async def test_bad_round_input_is_refused(subsidy: Subsidy, change: dict, field: str) -> None:
    assert await refused(subsidy, subsidy.cast.city, OPEN_ROUND, {**ROUND, **change}) == (
        "VALIDATION",
        field,
    )


BAD_APPLICATIONS = [
    ({"managerName": "  "}, "managerName"),
    ({"managerName": "名" * 65}, "managerName"),
    ({"managerPhone": "12345"}, "managerPhone"),
    ({"managerPhone": "0755-82793347"}, "managerPhone"),
    # "13" and nine Arabic-Indic digits: \d matched them, [0-9] does not
    (
        {"managerPhone": "13" + "\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"},
        "managerPhone",
    ),
    ({"area": 0}, "area"),
    ({"area": -12.5}, "area"),
    ({"area": 10.123}, "area"),
    ({"area": 1e12}, "area"),
]


@pytest.mark.parametrize(("change", "field"), BAD_APPLICATIONS)
async def test_bad_application_input_is_refused(subsidy: Subsidy, change: dict, field: str) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    assert await refused(
        subsidy, cast.enterprise, CREATE, flow.application_input(round_id, **change)
    ) == ("VALIDATION", field)
    app = await flow.create(round_id)
    update = {"id": app["id"], "version": app["version"], **change}
    assert await refused(subsidy, cast.enterprise, UPDATE, update) == ("VALIDATION", field)


async def test_unknown_round_and_duplicate_application(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    assert await refused(
        subsidy, cast.enterprise, CREATE, flow.application_input(cast.project_id)
    ) == ("NOT_FOUND", "roundId")
    await flow.create(round_id)
    assert await refused(subsidy, cast.enterprise, CREATE, flow.application_input(round_id)) == (
        "DUPLICATE",
        "projectId",
    )


async def test_bad_submissions_are_refused(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    app = await flow.create(round_id)
    base = {"id": app["id"], "version": app["version"], "acceptPledge": True}
    # the pledge is required
    assert await refused(subsidy, cast.manager, SUBMIT, {**base, "acceptPledge": False}) == (
        "VALIDATION",
        "acceptPledge",
    )
    # a changed area needs evidence
    changed = {**base, "area": cast.recorded_area + 1}
    assert await refused(subsidy, cast.manager, SUBMIT, changed) == ("VALIDATION", "evidenceIds")
    # evidence of another application does not count
    other = await subsidy_other_application(subsidy, round_id)
    foreign = (await flow.upload(other["manager"], other["id"], PDF))["evidence"]
    assert await refused(
        subsidy, cast.manager, SUBMIT, {**changed, "evidenceIds": [foreign["id"]]}
    ) == ("VALIDATION", "evidenceIds")
    assert await refused(
        subsidy, cast.manager, SUBMIT, {**changed, "evidenceIds": ["garbage"]}
    ) == ("VALIDATION", "evidenceIds")
    assert await refused(subsidy, cast.manager, SUBMIT, {**base, "area": -3}) == (
        "VALIDATION",
        "area",
    )
    # the same area as recorded needs no evidence
    assert (await flow.submit(app, area=cast.recorded_area))["status"] == "SUBMITTED"


async def subsidy_other_application(subsidy: Subsidy, round_id: str) -> dict:
    """A draft for another project of the same enterprise, with its manager."""
    from sqlalchemy import select

    from propgraph.models import Account, Project
    from propgraph.schema.relay import to_global_id

    cast = subsidy.cast
    rows = await subsidy.rows(
        select(Project.id, Account.username, Account.phone)
        .join(Account, (Account.project_id == Project.id) & (Account.role == "MANAGER"))
        .where(
            Project.id != cast.project_pk,
            Project.enterprise_id
            == (
                select(Project.enterprise_id).where(Project.id == cast.project_pk).scalar_subquery()
            ),
        )
        .order_by(Project.id)
        .limit(1)
    )
    project_pk, manager, phone = rows[0]
    payload = await subsidy.flow.ok(
        cast.enterprise,
        CREATE,
        subsidy.flow.application_input(
            round_id, projectId=to_global_id("Project", project_pk), managerPhone=phone
        ),
    )
    return {**payload["application"], "manager": manager}


async def test_bad_reports_and_payments_are_refused(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    other_round = await flow.open_round(name="另一轮")
    app = await flow.to_status(round_id, "DISTRICT_APPROVED")
    district = cast.district[0]
    assert await refused(
        subsidy, district, REPORT, {"roundId": round_id, "applicationIds": []}
    ) == ("VALIDATION", "applicationIds")
    assert await refused(
        subsidy, district, REPORT, {"roundId": round_id, "applicationIds": [app["id"], app["id"]]}
    ) == ("VALIDATION", "applicationIds")
    assert await refused(
        subsidy, district, REPORT, {"roundId": other_round, "applicationIds": [app["id"]]}
    ) == ("VALIDATION", "applicationIds")
    assert await refused(
        subsidy, district, REPORT, {"roundId": "garbage", "applicationIds": [app["id"]]}
    ) == ("NOT_FOUND", "roundId")
    batch = (await flow.ok(district, REPORT, {"roundId": round_id, "applicationIds": [app["id"]]}))[
        "batch"
    ]
    # reported twice: the application is no longer district-approved
    assert await refused(
        subsidy, district, REPORT, {"roundId": round_id, "applicationIds": [app["id"]]}
    ) == ("INVALID_STATE", None)
    assert await refused(
        subsidy, district, PAID, {"batchId": batch["id"], "paidOn": "2020-02-19"}
    ) == ("VALIDATION", "paidOn")
    assert await refused(
        subsidy, district, PAID, {"batchId": batch["id"], "paidOn": "2020-02-21"}
    ) == ("VALIDATION", "paidOn")
    assert await refused(
        subsidy, cast.other_district, PAID, {"batchId": batch["id"], "paidOn": "2020-02-20"}
    ) == ("NOT_FOUND", "batchId")
    await flow.ok(district, PAID, {"batchId": batch["id"], "paidOn": "2020-02-20"})
    assert await refused(
        subsidy, district, PAID, {"batchId": batch["id"], "paidOn": "2020-02-20"}
    ) == ("INVALID_STATE", None)


async def test_the_round_window_is_enforced(subsidy: Subsidy) -> None:
    flow, cast = subsidy.flow, subsidy.cast
    round_id = await flow.open_round()
    # before the window opens: no application can be created
    subsidy.clock.set_local(date(2020, 2, 15), hour=23)
    assert await refused(subsidy, cast.enterprise, CREATE, flow.application_input(round_id)) == (
        "INVALID_STATE",
        None,
    )
    # inside it: created; after it closes: not submitted
    subsidy.clock.set_local(date(2020, 3, 31), hour=23)
    app = await flow.create(round_id)
    subsidy.clock.set_local(date(2020, 4, 1), hour=0)
    submit = {"id": app["id"], "version": app["version"], "acceptPledge": True}
    assert await refused(subsidy, cast.manager, SUBMIT, submit) == ("INVALID_STATE", None)


async def test_a_role_without_the_mutation_cannot_even_ask(subsidy: Subsidy) -> None:
    body = await subsidy.app.client(subsidy.cast.manager).execute(
        'mutation { reviewSubsidyApplication(input: {id: "x", version: 1, decision: APPROVE}) { errors { code } } }'
    )
    assert body["data"] is None
    assert (
        body["errors"][0]["message"]
        == "Cannot query field 'reviewSubsidyApplication' on type 'Mutation'."
    )
