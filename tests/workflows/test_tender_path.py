"""Tender filing through the API: clerk's opinion, head's decisions, refiling, working days."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from tests.support.office import Office

FILE = """mutation($input: FileTenderInput!) { fileTender(input: $input) {
  filing { id status version workingDays timeliness proposal remark decisionComment
           timeline { action from to comment } }
  errors { code field message } } }"""
OPINION = """mutation($input: GiveTenderOpinionInput!) { giveTenderOpinion(input: $input) {
  filing { id status version proposal remark } errors { code field message } } }"""
DECIDE = """mutation($input: DecideTenderInput!) { decideTender(input: $input) {
  filing { id status version workingDays timeliness decisionComment timeline { action to } }
  errors { code field message } } }"""
LIST = """query($f: TenderFilingFilter) { tenderFilings(filter: $f) {
  totalCount edges { node { id status workingDays timeliness } } } }"""
TODOS = "{ todos { edges { node { kind subject { id } } } } }"


async def file(
    office: Office, who: str = "enterprise", title: str = "2026年物业服务招标文件"
) -> dict:
    return (await office.ok(who, FILE, {"projectId": office.project_id, "title": title}))["filing"]


async def opinion(office: Office, filing: dict, proposal: str = "APPROVE") -> dict:
    input = {
        "id": filing["id"],
        "version": filing["version"],
        "proposal": proposal,
        "remark": "符合要求",
    }
    return (await office.ok("street:CLERK", OPINION, input))["filing"]


async def decide(office: Office, filing: dict, decision: str, comment: str | None = None) -> dict:
    input = {
        "id": filing["id"],
        "version": filing["version"],
        "decision": decision,
        "comment": comment,
    }
    return (await office.ok("street:HEAD", DECIDE, input))["filing"]


async def kinds(office: Office, who: str) -> list[str]:
    return [e["node"]["kind"] for e in (await office.data(who, TODOS))["todos"]["edges"]]


async def test_file_review_approve(office: Office) -> None:
    filing = await file(office, "manager")
    assert filing["status"] == "FILED" and filing["workingDays"] == 0
    assert filing["timeliness"] == "NORMAL"
    assert await kinds(office, "street:CLERK") == ["tender.opinion"]
    filing = await opinion(office, filing)
    assert filing["status"] == "CLERK_REVIEWED" and filing["proposal"] == "APPROVE"
    assert await kinds(office, "street:HEAD") == ["tender.decide"]
    office.clock.set_local(date(2026, 6, 17))  # Wed 10 June → Wed 17 June: 5 working days
    filing = await decide(office, filing, "APPROVE")
    assert filing["status"] == "APPROVED" and filing["workingDays"] == 5
    assert [e["to"] for e in filing["timeline"]] == ["FILED", "CLERK_REVIEWED", "APPROVED"]
    assert await kinds(office, "street:HEAD") == []
    # the age stops at the decision
    office.clock.set_local(date(2026, 8, 1))
    listed = await office.data("enterprise", LIST, {"f": {"timeliness": "NORMAL"}})
    assert [n["node"]["workingDays"] for n in listed["tenderFilings"]["edges"]] == [5]


async def test_reject_refile_and_return(office: Office) -> None:
    filing = await opinion(office, await file(office), "REJECT")
    filing = await decide(office, filing, "REJECT", "评标办法不符合规定")
    assert filing["status"] == "REJECTED" and filing["decisionComment"] == "评标办法不符合规定"
    assert await kinds(office, "manager") == ["tender.refile"]
    # the filer fixes and refiles
    refiled = (
        await office.ok(
            "enterprise",
            FILE,
            {
                "projectId": office.project_id,
                "title": "修改后的招标文件",
                "id": filing["id"],
                "version": filing["version"],
            },
        )
    )["filing"]
    assert refiled["status"] == "FILED" and refiled["decisionComment"] is None
    assert await kinds(office, "manager") == []
    # the head returns it to the clerk, who reviews again
    filing = await opinion(office, refiled)
    filing = await decide(office, filing, "RETURN_TO_CLERK", "请补充审查意见")
    assert filing["status"] == "FILED"
    assert await kinds(office, "street:CLERK") == ["tender.opinion"]
    filing = await opinion(office, filing)
    assert (await decide(office, filing, "APPROVE"))["status"] == "APPROVED"


async def test_timeliness_bands_and_filter(office: Office) -> None:
    # filed Wed 10 June 2026; Dragon Boat Festival is Fri 19 June (holiday)
    filing = await file(office)
    for day, days, band in [
        (date(2026, 6, 17), 5, "NORMAL"),
        (date(2026, 6, 18), 6, "OVERDUE"),
        (date(2026, 6, 22), 7, "OVERDUE"),  # the 19th is a holiday, 20–21 a weekend
        (date(2026, 6, 25), 10, "SEVERELY_OVERDUE"),
    ]:
        office.clock.set_local(day)
        listed = await office.data("street:HEAD", LIST, {"f": {"timeliness": band}})
        nodes = [e["node"] for e in listed["tenderFilings"]["edges"]]
        assert nodes == [
            {"id": filing["id"], "status": "FILED", "workingDays": days, "timeliness": band}
        ], day
        for other in {"NORMAL", "OVERDUE", "SEVERELY_OVERDUE"} - {band}:
            listed = await office.data("street:HEAD", LIST, {"f": {"timeliness": other}})
            assert listed["tenderFilings"]["totalCount"] == 0, (day, other)


async def test_refusals(office: Office) -> None:
    filing = await file(office)
    input = {"id": filing["id"], "version": 1, "proposal": "APPROVE", "remark": "好"}
    decision = {"id": filing["id"], "version": 1, "decision": "APPROVE"}
    # a decision before the clerk's opinion
    assert await office.refused("street:HEAD", DECIDE, decision) == "INVALID_STATE"
    # the head may not give the clerk's opinion, the clerk may not decide
    assert await office.refused("street:HEAD", OPINION, input) == "FORBIDDEN"
    # a remark is required; another street cannot see it
    assert await office.refused("street:CLERK", OPINION, {**input, "remark": ""}) == "VALIDATION"
    assert await office.refused("other_street:CLERK", OPINION, input) == "NOT_FOUND"
    reviewed = await opinion(office, filing)
    decision["version"] = reviewed["version"]
    assert await office.refused("street:CLERK", DECIDE, decision) == "FORBIDDEN"
    # rejecting needs a reason; a stale version conflicts
    reject = {**decision, "decision": "REJECT"}
    assert await office.refused("street:HEAD", DECIDE, reject) == "VALIDATION"
    assert await office.refused("street:HEAD", DECIDE, {**decision, "version": 1}) == "CONFLICT"
    # filing for someone else's project, or refiling what is not rejected
    other = {"projectId": office.project_id, "title": "x"}
    assert await office.refused("other_manager", FILE, other) == "NOT_FOUND"
    assert await office.refused("other_enterprise", FILE, other) == "NOT_FOUND"
    refile = {**other, "id": filing["id"], "version": reviewed["version"]}
    assert await office.refused("enterprise", FILE, refile) == "INVALID_STATE"
    assert await office.refused("enterprise", FILE, {**other, "title": " "}) == "VALIDATION"


async def test_racing_decisions_one_wins(office: Office) -> None:
    filing = await opinion(office, await file(office))
    head = office.app.client(office.people["street:HEAD"])
    inputs = [
        {
            "input": {
                "id": filing["id"],
                "version": filing["version"],
                "decision": d,
                "comment": "并发",
            }
        }
        for d in ("APPROVE", "REJECT")
    ]
    results = await asyncio.gather(*(head.data(DECIDE, i) for i in inputs))
    errors = [r["decideTender"]["errors"] for r in results]
    assert sorted(len(e) for e in errors) == [0, 1]
    assert next(e[0]["code"] for e in errors if e) in ("CONFLICT", "INVALID_STATE")


@pytest.mark.parametrize("who", ["community:HEAD", "district:HEAD", "city", "owner"])
async def test_other_roles_have_no_tender_mutations(office: Office, who: str) -> None:
    body = await office.app.client(office.people[who]).execute(
        FILE, {"input": {"projectId": office.project_id, "title": "x"}}
    )
    assert body.get("errors"), body
