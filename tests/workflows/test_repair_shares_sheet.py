"""Shares as a spreadsheet (导出分摊 / 导入分摊) through the API: the round trip, every
hostile sheet refused with nothing written, and who may export and import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from propgraph.models import Account, Unit
from propgraph.schema.relay import from_global_id, to_global_id
from propgraph.share_sheet import HEADERS, MEDIA_TYPE, write_shares
from tests.support.repair import PUBLISH, REPAIR, Repairs
from tests.support.share_sheets import (
    BILLION_LAUGHS,
    book,
    edited,
    export,
    table,
    upload,
    with_member,
    zip_bomb,
)


async def exported(repairs: Repairs, repair: dict[str, Any], username: str = "") -> bytes:
    response = await export(repairs.app, username or repairs.cast.manager, repair["id"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    return bytes(response.content)


def unit_pk(global_id: str) -> int:
    decoded = from_global_id(global_id)
    assert decoded is not None
    return decoded[1]


def amounts(repair: dict[str, Any]) -> dict[str, Decimal]:
    return {
        e["node"]["unit"]["id"]: Decimal(e["node"]["amount"]) for e in repair["shares"]["edges"]
    }


async def test_round_trip_export_edit_import_recomputes_the_budget(repairs: Repairs) -> None:
    # given a draft of 1000.00 over the project's units, in three stages
    repair = await repairs.create("NORMAL", budget="1000.00")
    # when the manager exports its shares
    sheet = await exported(repairs, repair)
    rows = table(sheet)
    # then the sheet holds every sharing unit with its share, as GraphQL shows them
    assert rows[0] == list(HEADERS)
    assert {r[0]: Decimal(str(r[4])).quantize(Decimal("0.01")) for r in rows[1:]} == amounts(repair)
    units = {r[0]: r[2] for r in rows[1:]}
    async with repairs.app.services.engine.connect() as conn:
        numbers = dict((await conn.execute(select(Unit.id, Unit.number))).all())
    assert units == {uid: numbers[unit_pk(uid)] for uid in units}
    # when one amount is raised by 0.50 and imported with a plan for the new budget
    raised = Decimal(str(rows[1][4])) + Decimal("0.50")
    answer = await upload(
        repairs.app,
        repairs.cast.manager,
        repair,
        edited(sheet, {0: float(raised)}),
        stages=[
            {"name": "预付款", "amount": "300.00"},
            {"name": "进度款", "amount": "400.00"},
            {"name": "结算款", "amount": "300.50"},
        ],
    )
    payload = answer["data"]["importRepairShares"]
    assert payload["errors"] == [], payload
    updated = payload["repairProject"]
    # then the budget is the shares' sum, the shares are the sheet's, the version moved on
    assert updated["budget"] == "1000.50"
    expected = {r[0]: Decimal(str(r[4])).quantize(Decimal("0.01")) for r in rows[1:]}
    expected[rows[1][0]] = raised
    assert amounts(updated) == expected
    assert sum(expected.values()) == Decimal("1000.50")
    assert [s["amount"] for s in updated["stages"]] == ["300.00", "400.00", "300.50"]
    assert updated["version"] == repair["version"] + 1 and updated["status"] == "DRAFT"
    assert updated["timeline"][-1] == {
        "action": "repair.import_shares",
        "comment": "shares imported from 分摊.xlsx: budget 1000.00 → 1000.50",
    }
    # and exporting again gives the imported amounts
    again = table(await exported(repairs, updated, repairs.cast.enterprise))
    assert {r[0]: Decimal(str(r[4])).quantize(Decimal("0.01")) for r in again[1:]} == expected


async def test_amounts_moved_between_units_keep_the_plan(repairs: Repairs) -> None:
    repair = await repairs.create("NORMAL", budget="1000.00")
    rows = table(await exported(repairs, repair))
    first, second = Decimal(str(rows[1][4])), Decimal(str(rows[2][4]))
    moved = {0: str(first + Decimal("1.25")), 1: str(second - Decimal("1.25"))}  # as text
    answer = await upload(
        repairs.app, repairs.cast.enterprise, repair, edited(await exported(repairs, repair), moved)
    )
    updated = answer["data"]["importRepairShares"]["repairProject"]
    assert updated["budget"] == "1000.00"
    assert [s["amount"] for s in updated["stages"]] == ["300.00", "400.00", "300.00"]


async def test_a_one_stage_plan_follows_the_new_budget(repairs: Repairs) -> None:
    repair = await repairs.create("SIMPLE", budget="900.00")
    sheet = await exported(repairs, repair)
    answer = await upload(repairs.app, repairs.cast.manager, repair, edited(sheet, {0: 1}))
    updated = answer["data"]["importRepairShares"]["repairProject"]
    assert [s["amount"] for s in updated["stages"]] == [updated["budget"]]


async def _other_project_unit(repairs: Repairs) -> str:
    async with repairs.app.services.engine.connect() as conn:
        pk = await conn.scalar(
            select(Unit.id).where(Unit.project_id != repairs.cast.project_pk).limit(1)
        )
    return to_global_id("Unit", pk)


HOSTILE = [
    "wrong headers",
    "an unknown unit",
    "a unit of another project",
    "a missing unit",
    "a unit twice",
    "a negative amount",
    "a zero amount",
    "a non-numeric amount",
    "three decimals",
    "a formula",
    "not XLSX",
    "a zip bomb",
    "entity expansion",
    "6 MB, over the sheet's limit",
]


async def _hostile(repairs: Repairs, sheet: bytes, which: str) -> bytes:
    rows = table(sheet)
    data, headers = rows[1:], rows[0]
    if which == "wrong headers":
        return book(data, ["unit", "building", "unitId", "area", "amount"])
    if which == "an unknown unit":
        return book([*data[:-1], ["VW5pdDo5OTk5OTk=", *data[-1][1:]]], headers)
    if which == "a unit of another project":
        return book([*data[:-1], [await _other_project_unit(repairs), *data[-1][1:]]], headers)
    if which == "a missing unit":
        return book(data[:-1], headers)
    if which == "a unit twice":
        return book([*data, data[0]], headers)
    amount = {
        "a negative amount": -5,
        "a zero amount": 0,
        "a non-numeric amount": "五百",
        "three decimals": "10.005",
        "a formula": "=1+1",
    }
    if which in amount:
        return edited(sheet, {0: amount[which]})
    if which == "not XLSX":
        return b"%PDF-1.4\n" + b"0" * 1000
    if which == "a zip bomb":
        return zip_bomb(sheet)
    if which == "entity expansion":
        return with_member(sheet, "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    assert which == "6 MB, over the sheet's limit"
    return sheet + bytes(6 * 1024 * 1024)


@pytest.mark.parametrize("which", HOSTILE)
async def test_a_hostile_sheet_is_refused_and_changes_nothing(repairs: Repairs, which: str) -> None:
    # given a draft and a sheet spoiled one way
    repair = await repairs.create("NORMAL")
    content = await _hostile(repairs, await exported(repairs, repair), which)
    before = await repairs.state()
    # when the manager imports it
    answer = await upload(repairs.app, repairs.cast.manager, repair, content)
    # then one VALIDATION error on the file, and no table changed
    payload = answer["data"]["importRepairShares"]
    assert payload["repairProject"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", "file")], payload
    assert await repairs.state() == before


async def test_a_50_mb_upload_is_refused_before_it_is_read(repairs: Repairs) -> None:
    repair = await repairs.create("NORMAL")
    before = await repairs.state()
    answer = await upload(repairs.app, repairs.cast.manager, repair, bytes(50 * 1024 * 1024))
    assert answer["status"] == 413
    assert answer["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert await repairs.state() == before


async def test_a_plan_that_no_longer_adds_up_is_refused(repairs: Repairs) -> None:
    repair = await repairs.create("NORMAL")
    sheet = edited(await exported(repairs, repair), {0: 1})
    before = await repairs.state()
    for stages in (None, [{"name": "一次性", "amount": "5.00"}]):
        answer = await upload(repairs.app, repairs.cast.manager, repair, sheet, stages=stages)
        errors = answer["data"]["importRepairShares"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("VALIDATION", "stages")]
    assert await repairs.state() == before


async def test_only_a_draft_at_the_version_read_takes_shares(repairs: Repairs) -> None:
    repair = await repairs.create("NORMAL")
    sheet = await exported(repairs, repair)
    before = await repairs.state()
    stale = await upload(
        repairs.app, repairs.cast.manager, repair, sheet, version=repair["version"] - 1
    )
    assert [e["code"] for e in stale["data"]["importRepairShares"]["errors"]] == ["CONFLICT"]
    assert await repairs.state() == before
    # once the owners vote (and after), the shares are fixed
    voting = await repairs.vote(repair)
    before = await repairs.state()
    answer = await upload(repairs.app, repairs.cast.manager, voting, sheet)
    assert [e["code"] for e in answer["data"]["importRepairShares"]["errors"]] == ["INVALID_STATE"]
    assert await repairs.state() == before
    published = await repairs.step(PUBLISH, voting)
    answer = await upload(repairs.app, repairs.cast.manager, published, sheet)
    assert [e["code"] for e in answer["data"]["importRepairShares"]["errors"]] == ["INVALID_STATE"]


async def _usernames(repairs: Repairs, role: str) -> list[str]:
    async with repairs.app.services.engine.connect() as conn:
        rows = await conn.scalars(
            select(Account.username)
            .where(Account.role == role, Account.disabled.is_(False))
            .order_by(Account.id)
            .limit(1)
        )
        return list(rows)


async def test_who_may_import(repairs: Repairs) -> None:
    repair = await repairs.create("NORMAL")
    sheet = await exported(repairs, repair)
    cast = repairs.cast
    before = await repairs.state()
    # another project's manager and enterprise: NOT_FOUND, as if it did not exist
    for username in (cast.other_manager, cast.other_enterprise):
        answer = await upload(repairs.app, username, repair, sheet)
        errors = answer["data"]["importRepairShares"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("NOT_FOUND", "id")], username
    # every other role does not have the mutation at all
    others = [cast.city, cast.district[0], cast.street[0], cast.community[0], "owner_1"]
    others += await _usernames(repairs, "DELEGATE")
    for username in others:
        answer = await upload(repairs.app, username, repair, sheet)
        assert answer.get("data") is None and answer["errors"], username
    assert await repairs.state() == before


async def test_who_may_export(repairs: Repairs) -> None:
    cast = repairs.cast
    draft = await repairs.create("EMERGENCY")
    # no token: 401; a repair project the caller cannot see, or no such id: 404
    assert (await export(repairs.app, None, draft["id"])).status_code == 401
    hidden = [cast.other_manager, cast.other_enterprise, cast.district[0], cast.community[0]]
    hidden += ["owner_1", *await _usernames(repairs, "DELEGATE")]
    for username in hidden:  # offices and owners see a draft only once it is published
        response = await export(repairs.app, username, draft["id"])
        assert response.status_code == 404, (username, response.text)
    for bad in ("nope", cast.project_id, to_global_id("RepairProject", 99999)):
        assert (await export(repairs.app, cast.manager, bad)).status_code == 404
    # published: the offices above it export every share, an owner its own units' shares
    published = await repairs.step(PUBLISH, draft)
    for username in (cast.district[0], cast.street[0], cast.community[0], cast.city):
        rows = table(await exported(repairs, published, username))
        assert {r[0] for r in rows[1:]} == set(amounts(published)), username
    owner = await repairs.app.client("owner_1").data(REPAIR, {"id": published["id"]})
    mine = {e["node"]["unit"]["id"] for e in owner["node"]["shares"]["edges"]}
    rows = table(await exported(repairs, published, "owner_1"))
    assert {r[0] for r in rows[1:]} == mine and mine
    assert (await export(repairs.app, cast.other_district, published["id"])).status_code == 404


def test_the_writer_and_the_export_agree_on_the_layout() -> None:
    assert table(write_shares([], "t")) == [list(HEADERS)]


async def test_two_imports_racing_on_one_version_let_exactly_one_through(
    repairs: Repairs,
) -> None:
    import asyncio

    # given a draft and two edits of its sheet, each moving the budget differently
    repair = await repairs.create("SIMPLE", budget="900.00")
    sheet = await exported(repairs, repair)
    first, second = edited(sheet, {0: 1}), edited(sheet, {0: 2})
    # when the manager and the enterprise import them at once, both from the same version
    answers = await asyncio.gather(
        upload(repairs.app, repairs.cast.manager, repair, first),
        upload(repairs.app, repairs.cast.enterprise, repair, second),
    )
    payloads = [a["data"]["importRepairShares"] for a in answers]
    # then exactly one is taken and the other is told CONFLICT
    codes = sorted(e["code"] for p in payloads for e in p["errors"])
    assert codes == ["CONFLICT"], payloads
    (won,) = [p["repairProject"] for p in payloads if not p["errors"]]
    assert won["version"] == repair["version"] + 1
    # and what is stored is the winner's shares, once, with one audit entry
    rows = table(await exported(repairs, won))
    stored = {r[0]: Decimal(str(r[4])).quantize(Decimal("0.01")) for r in rows[1:]}
    assert stored == amounts(won)
    assert sum(stored.values()) == Decimal(won["budget"])
    assert [t["action"] for t in won["timeline"]].count("repair.import_shares") == 1
