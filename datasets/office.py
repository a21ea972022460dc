"""Office-work history for the demo, made by the real mutations (as datasets/workflow.py).

Half-year evaluations of 2025 and H1 2026 (approved, re-scored, one scored but
never approved and one never scored: both count 100 once the window closed),
and tender filings in every status and every timeliness band.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.authz.policy import load_enforcer
from propgraph.datasets.workflow import _Actor, _at, _SilentSender
from propgraph.models import Account, Project
from propgraph.schema.relay import to_global_id
from propgraph.services import Services
from propgraph.settings import Settings
from propgraph.workflows import outbox

PROJECTS = 4  # every state needs 4; each more costs the demo seconds of start-up

SCORE = """mutation($i: ScoreProjectInput!) { r: scoreProject(input: $i) {
  evaluation { id version } errors { message } } }"""
APPROVE = """mutation($i: ApproveEvaluationInput!) { r: approveEvaluation(input: $i) {
  evaluation { id version } errors { message } } }"""
FILE = """mutation($i: FileTenderInput!) { r: fileTender(input: $i) {
  filing { id version } errors { message } } }"""
OPINION = """mutation($i: GiveTenderOpinionInput!) { r: giveTenderOpinion(input: $i) {
  filing { id version } errors { message } } }"""
PUBLISH = """mutation($i: PublishNoticeInput!) { r: publishNotice(input: $i) {
  notice { id } errors { message } } }"""
READ = """mutation($i: NoticeIdInput!) { r: markNoticeRead(input: $i) {
  notice { id } errors { message } } }"""
URGE = """mutation($i: NoticeIdInput!) { r: urgeNotice(input: $i) {
  notice { id } errors { message } } }"""
NOTICES = (
    (
        "STREET",
        "关于开展电动自行车消防安全专项检查的通知",
        "请各物业服务项目于11月30日前完成自查并上报。",
    ),
    (
        "COMMUNITY",
        "关于报送物业服务从业人员信息的通知",
        "请各项目经理登录系统更新本项目从业人员信息。",
    ),
)
DECIDE = """mutation($i: DecideTenderInput!) { r: decideTender(input: $i) {
  filing { id version } errors { message } } }"""

# (filed on, opinion on, decided on, decision): every status, every band
TENDERS = (
    (date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 3), "APPROVE"),  # 2 working days
    (date(2026, 9, 1), date(2026, 9, 7), date(2026, 9, 10), "APPROVE"),  # 7: overdue
    (date(2026, 8, 3), date(2026, 8, 12), date(2026, 8, 20), "REJECT"),  # 13: severely
    (date(2026, 9, 24), date(2026, 9, 25), date(2026, 10, 12), "REJECT"),  # across National Day
    (date(2026, 11, 16), date(2026, 11, 17), None, None),  # with the head
    (date(2026, 10, 9), None, None, None),  # still with the clerk, long overdue
    (date(2026, 11, 20), None, None, None),  # just filed
)


async def seed_office_history(engine: AsyncEngine) -> dict[str, int]:
    from propgraph.schema.build import build_role_schemas_cached

    moment = [_at(date(2025, 6, 10))]
    services = Services(
        settings=Settings(database_url=str(engine.url), jwt_secret="unused-by-the-seed"),
        engine=engine,
        clock=lambda: moment[0],
    )
    services.policies, services.schemas = build_role_schemas_cached(await load_enforcer(engine))
    act = _Actor(engine, services)
    async with engine.connect() as conn:
        projects = (
            await conn.execute(
                select(Project)
                .where(Project.enterprise_id.is_not(None))
                .order_by(Project.id)
                .limit(PROJECTS)
            )
        ).all()
        accounts = (
            await conn.execute(
                select(Account).where(Account.disabled.is_(False)).order_by(Account.id)
            )
        ).all()

    def who(role: str, column: str, value: int, position: str | None = None) -> str:
        username: str = next(
            a.username
            for a in accounts
            if a.role == role
            and getattr(a, column) == value
            and (position is None or a.position == position)
        )
        return username

    evaluations = 0
    for year, half, month in ((2025, "H1", 6), (2025, "H2", 12), (2026, "H1", 6)):
        for index, project in enumerate(projects):
            if (year, half) == (2025, "H1") and index == 2:
                continue  # never scored: 100 once the window closed
            moment[0] = _at(date(year, month, 5 + index))
            scored = await act(
                who("COMMUNITY", "community_id", project.community_id),
                SCORE,
                {
                    "projectId": to_global_id("Project", project.id),
                    "year": year,
                    "half": half,
                    "score": 80 + (index * 7 + month) % 20 + 0.5 * (index % 2),
                },
            )
            evaluations += 1
            if (year, half) == (2025, "H1") and index == 1:
                continue  # scored, never approved: 100 as well
            moment[0] = _at(date(year, month, 20 + index % 8))
            review: dict[str, Any] = {
                "id": scored["evaluation"]["id"],
                "version": scored["evaluation"]["version"],
                "comment": "台账齐全，同意。" if index % 3 else "消防通道有堆放，扣分。",
            }
            if index % 3 == 0:
                review["score"] = 75.0
            await act(who("STREET", "street_id", project.street_id, "CLERK"), APPROVE, review)

    for index, (filed, opinion, decided, decision) in enumerate(TENDERS):
        project = projects[index % len(projects)]
        filer = (
            who("ENTERPRISE", "enterprise_id", project.enterprise_id)
            if index % 2
            else who("MANAGER", "project_id", project.id)
        )
        moment[0] = _at(filed)
        filing = (
            await act(
                filer,
                FILE,
                {
                    "projectId": to_global_id("Project", project.id),
                    "title": f"物业服务招标文件（{index + 1}）",
                },
            )
        )["filing"]
        if opinion is not None:
            moment[0] = _at(opinion)
            filing = (
                await act(
                    who("STREET", "street_id", project.street_id, "CLERK"),
                    OPINION,
                    {
                        "id": filing["id"],
                        "version": filing["version"],
                        "proposal": decision or "APPROVE",
                        "remark": "招标文件内容完整。"
                        if decision != "REJECT"
                        else "评标办法不合规。",
                    },
                )
            )["filing"]
        if decided is not None:
            moment[0] = _at(decided)
            await act(
                who("STREET", "street_id", project.street_id, "HEAD"),
                DECIDE,
                {
                    "id": filing["id"],
                    "version": filing["version"],
                    "decision": decision,
                    "comment": None
                    if decision == "APPROVE"
                    else "请按规定修改评标办法后重新备案。",
                },
            )
    first = projects[0]
    managers = [a for a in accounts if a.role == "MANAGER" and a.project_id is not None]
    for index, (role, title, body) in enumerate(NOTICES):
        column = f"{role.lower()}_id"
        moment[0] = _at(date(2026, 11, 2 + index))
        office = who(role, column, getattr(first, column), "HEAD")
        published = await act(office, PUBLISH, {"title": title, "body": body})
        notice_id = published["notice"]["id"]
        below = [
            m for m in managers if _under(m.project_id, column, getattr(first, column), projects)
        ]
        moment[0] = _at(date(2026, 11, 9 + index))
        for manager in below[: max(1, len(below) // 2)]:  # partly read
            await act(manager.username, READ, {"id": notice_id})
        if index == 0:
            moment[0] = _at(date(2026, 11, 16))
            await act(who(role, column, getattr(first, column), "CLERK"), URGE, {"id": notice_id})
    await outbox.deliver_pending(engine, _SilentSender(), moment[0], limit=100_000)
    return {"evaluations": evaluations, "tender_filings": len(TENDERS), "notices": len(NOTICES)}


def _under(project_id: int, column: str, node: int, projects: Any) -> bool:
    """Whether the manager's project lies under the office (among the seeded projects)."""
    return any(p.id == project_id and getattr(p, column) == node for p in projects)
