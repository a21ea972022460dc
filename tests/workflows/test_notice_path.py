"""Notices: publish to every manager below, read receipts, the unread list, urge."""

from __future__ import annotations

from sqlalchemy import func, select

from propgraph.models import Account, Notification, Project
from tests.support.office import Office

PUBLISH = """mutation($input: PublishNoticeInput!) { publishNotice(input: $input) {
  notice { id title recipients readCount } errors { code field message } } }"""
READ = """mutation($input: NoticeIdInput!) { markNoticeRead(input: $input) {
  notice { id read readCount } errors { code field message } } }"""
URGE = """mutation($input: NoticeIdInput!) { urgeNotice(input: $input) {
  notice { id urgedAt } errors { code field message } } }"""
NOTICES = """{ notices { totalCount edges { node { id title recipients readCount read
  unread(first: 100) { totalCount edges { node { username role } } } } } } }"""
TODOS = "{ todos { edges { node { kind subject { id } } } } }"
NOTICE = {"title": "关于开展消防安全检查的通知", "body": "请各项目于本周内完成自查。"}


async def managers_of_street(office: Office) -> list[str]:
    async with office.app.services.engine.connect() as conn:
        street = await conn.scalar(select(Project.street_id).where(Project.id == 1))
        rows = await conn.execute(
            select(Account.username)
            .join(Project, Project.id == Account.project_id)
            .where(Account.role == "MANAGER", Account.disabled.is_(False),
                   Project.street_id == street)
            .order_by(Account.id)
        )  # fmt: skip
        return list(rows.scalars())


async def wechat_and_sms(office: Office, template: str) -> tuple[int, int]:
    async with office.app.services.engine.connect() as conn:
        counts = {}
        for channel in ("WECHAT", "SMS"):
            counts[channel] = await conn.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.template == template, Notification.channel == channel)
            )
    return counts["WECHAT"], counts["SMS"]


async def test_publish_read_and_urge(office: Office) -> None:
    managers = await managers_of_street(office)
    assert len(managers) >= 2
    # the street head publishes: one WECHAT per manager of the street, a to-do each
    notice = (await office.ok("street:HEAD", PUBLISH, NOTICE))["notice"]
    assert notice["recipients"] == len(managers) and notice["readCount"] == 0
    assert await wechat_and_sms(office, "notice.published") == (len(managers), 0)
    todos = (await office.data(managers[0], TODOS))["todos"]["edges"]
    assert [t["node"]["kind"] for t in todos] == ["notice.read"]
    # a manager reads it: its to-do is done; reading twice changes nothing
    read = (await office.ok(managers[0], READ, {"id": notice["id"]}))["notice"]
    assert read["read"] is True and read["readCount"] == 1
    await office.ok(managers[0], READ, {"id": notice["id"]})
    assert (await office.data(managers[0], TODOS))["todos"]["edges"] == []
    # the publishing office (head or clerk) sees who has not read it
    listed = (await office.data("street:CLERK", NOTICES))["notices"]["edges"][0]["node"]
    assert listed["readCount"] == 1
    unread = {e["node"]["username"] for e in listed["unread"]["edges"]}
    assert unread == set(managers[1:])
    # urging re-notifies exactly the unread, by WECHAT and SMS
    await office.ok("street:CLERK", URGE, {"id": notice["id"]})
    wechat, sms = await wechat_and_sms(office, "notice.urged")
    assert wechat == len(managers) - 1 and 1 <= sms <= len(managers) - 1
    # the manager sees its notice; another street's office does not
    mine = (await office.data(managers[1], NOTICES))["notices"]
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["unread"]["totalCount"] == 0
    assert (await office.data("other_street:HEAD", NOTICES))["notices"]["totalCount"] == 0


async def test_refusals(office: Office) -> None:
    notice = (await office.ok("community:HEAD", PUBLISH, NOTICE))["notice"]
    assert await office.refused("community:HEAD", PUBLISH, {**NOTICE, "title": " "}) == "VALIDATION"
    # a manager it was not addressed to, and an office that did not publish it
    assert await office.refused("other_manager", READ, {"id": notice["id"]}) == "NOT_FOUND"
    assert await office.refused("other_street:HEAD", URGE, {"id": notice["id"]}) == "NOT_FOUND"
    # once everyone read it, there is no one to urge
    for edge in (await office.data("community:HEAD", NOTICES))["notices"]["edges"][0]["node"][
        "unread"
    ]["edges"]:
        await office.ok(edge["node"]["username"], READ, {"id": notice["id"]})
    assert await office.refused("community:CLERK", URGE, {"id": notice["id"]}) == "INVALID_STATE"
