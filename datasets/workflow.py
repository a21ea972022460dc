"""Subsidy history for the demo: applications in every status, made by the real mutations.

The accounts of the seeded graph act in turn through the GraphQL API
in-process, on a clock set to February and March 2020 (seed 004's round), so
every application carries the audit trail, to-dos and notifications the
workflow writes. A second round stays open for trying things out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.authz.policy import load_enforcer
from propgraph.authz.viewer import compile_viewer, load_account
from propgraph.clock import CITY_TZ
from propgraph.db import RequestDB
from propgraph.models import Account, Project
from propgraph.schema.relay import to_global_id
from propgraph.services import Services
from propgraph.settings import Settings
from propgraph.workflows import outbox

# The order in which the demo's applications are given their final status:
# every status appears once the scale has at least nine applications.
STATUS_CYCLE = (
    "PAID",
    "REPORTED",
    "DISTRICT_APPROVED",
    "STREET_APPROVED",
    "COMMUNITY_APPROVED",
    "SUBMITTED",
    "RETURNED",
    "DRAFT",
    "PAID",
)
REVIEWERS = ("COMMUNITY", "STREET", "DISTRICT")
APPROVED = {
    "COMMUNITY": "COMMUNITY_APPROVED",
    "STREET": "STREET_APPROVED",
    "DISTRICT": "DISTRICT_APPROVED",
}

HISTORIC_ROUND = {
    "name": "2020年物业服务企业疫情防控补贴",
    "ratePerSqmMonth": 0.5,
    "months": 2,
    "opensOn": "2020-02-16",
    "closesOn": "2020-03-31",
}
DEMO_ROUND = {
    "name": "物业服务企业疫情防控补贴（演示轮次）",
    "ratePerSqmMonth": 0.5,
    "months": 2,
    "opensOn": "2026-01-01",
    "closesOn": "2030-12-31",
}

OPEN = "mutation($i: OpenSubsidyRoundInput!) { r: openSubsidyRound(input: $i) { round { id } errors { message } } }"
CREATE = """mutation($i: CreateSubsidyApplicationInput!) { r: createSubsidyApplication(input: $i) {
  application { id version } errors { message } } }"""
SUBMIT = """mutation($i: SubmitSubsidyApplicationInput!) { r: submitSubsidyApplication(input: $i) {
  application { id version } errors { message } } }"""
REVIEW = """mutation($i: ReviewSubsidyApplicationInput!) { r: reviewSubsidyApplication(input: $i) {
  application { id version } errors { message } } }"""
REPORT = "mutation($i: ReportSubsidyBatchInput!) { r: reportSubsidyBatch(input: $i) { batch { id } errors { message } } }"
PAID = "mutation($i: MarkSubsidyBatchPaidInput!) { r: markSubsidyBatchPaid(input: $i) { batch { id } errors { message } } }"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TZ).astimezone(UTC)


class _Actor:
    """Runs mutations as seeded accounts, on the simulation's clock."""

    def __init__(self, engine: AsyncEngine, services: Services) -> None:
        self.engine = engine
        self.services = services

    async def __call__(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        from propgraph.schema.context import Context

        db = RequestDB(self.engine)
        try:
            account = await load_account(db, username)
            assert account is not None, username
            policy = self.services.policies[account.role]
            viewer = await compile_viewer(db, account, policy, self.services.today())
            context = Context(
                request=None, response=None, db=db, viewer=viewer, services=self.services
            )
            result = await self.services.schemas[account.role].execute(
                mutation, variable_values={"i": input}, context_value=context
            )
        finally:
            await db.close()
        if result.errors:
            raise RuntimeError(f"seeding the workflow failed: {result.errors[0].message}")
        assert result.data is not None
        payload: dict[str, Any] = result.data["r"]
        if payload["errors"]:
            raise RuntimeError(
                f"seeding the workflow was refused: {payload['errors'][0]['message']}"
            )
        return payload


class _SilentSender:
    """History is history: its notifications count as delivered long ago."""

    async def send(self, notification: Any) -> None:
        return None


async def seed_subsidy_history(engine: AsyncEngine, applications: int) -> dict[str, int]:
    """Open the 2020 round and walk ``applications`` projects to every status; open a demo round."""
    if applications <= 0:
        return {}
    from propgraph.schema.build import build_role_schemas_cached

    moment = [_at(date(2020, 2, 16))]
    services = Services(
        settings=Settings(database_url=str(engine.url), jwt_secret="unused-by-the-seed"),
        engine=engine,
        clock=lambda: moment[0],
    )
    services.policies, services.schemas = build_role_schemas_cached(await load_enforcer(engine))
    act = _Actor(engine, services)

    async with engine.connect() as conn:
        city = await conn.scalar(
            select(Account.username).where(Account.role == "CITY").order_by(Account.id)
        )
        total = await conn.scalar(select(Project.id).order_by(Project.id.desc()))
        assert city is not None and total is not None, "seed the graph and accounts first"
        step = max(1, total // applications)
        picked = list(range(1, total + 1, step))[:applications]
        rows = (
            await conn.execute(
                select(
                    Project.id,
                    Project.kind,
                    Project.district_id,
                    Project.street_id,
                    Project.community_id,
                    Project.enterprise_id,
                )
                .where(Project.id.in_(picked))
                .order_by(Project.id)
            )
        ).all()
        accounts = (
            await conn.execute(
                select(Account).where(Account.disabled.is_(False)).order_by(Account.id)
            )
        ).all()

    def first(role: str, column: str, value: int) -> Any:
        return next(a for a in accounts if a.role == role and getattr(a, column) == value)

    round_id = (await act(city, OPEN, HISTORIC_ROUND))["round"]["id"]

    moment[0] = _at(date(2020, 2, 20))
    walked: list[tuple[Any, dict[str, Any], str]] = []
    for index, project in enumerate(rows):
        target = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        enterprise = first("ENTERPRISE", "enterprise_id", project.enterprise_id)
        manager = first("MANAGER", "project_id", project.id)
        app = (
            await act(
                enterprise.username,
                CREATE,
                {
                    "roundId": round_id,
                    "projectId": to_global_id("Project", project.id),
                    "managerName": manager.name,
                    "managerPhone": manager.phone,
                    "propertyType": project.kind.value,
                },
            )
        )["application"]
        walked.append((project, app, target))

    moment[0] = _at(date(2020, 2, 21))
    for i, (project, app, target) in enumerate(walked):
        if target == "DRAFT":
            continue
        manager = first("MANAGER", "project_id", project.id)
        app = (
            await act(
                manager.username,
                SUBMIT,
                {"id": app["id"], "version": app["version"], "acceptPledge": True},
            )
        )["application"]
        walked[i] = (project, app, target)

    for day, reviewer in zip((24, 26, 28), REVIEWERS, strict=True):
        moment[0] = _at(date(2020, 2, day))
        column = f"{reviewer.lower()}_id"
        for i, (project, app, target) in enumerate(walked):
            if not _reviews(reviewer, target):
                continue
            office = first(reviewer, column, getattr(project, column))
            decision: dict[str, Any] = {
                "id": app["id"],
                "version": app["version"],
                "decision": "APPROVE",
            }
            if target == "RETURNED":
                decision.update(
                    decision="REJECT", comment="面积与备案不符，请补充房屋建筑面积总表后重新提交。"
                )
            app = (await act(office.username, REVIEW, decision))["application"]
            walked[i] = (project, app, target)

    moment[0] = _at(date(2020, 3, 2))
    batches: dict[tuple[int, bool], list[str]] = defaultdict(list)
    for project, app, target in walked:
        if target in ("REPORTED", "PAID"):
            batches[(project.district_id, target == "PAID")].append(app["id"])
    reported = []
    for (district_id, pay), app_ids in sorted(batches.items()):
        office = first("DISTRICT", "district_id", district_id)
        batch = (
            await act(office.username, REPORT, {"roundId": round_id, "applicationIds": app_ids})
        )["batch"]
        reported.append((office.username, batch["id"], pay))
    moment[0] = _at(date(2020, 3, 10))
    for username, batch_id, pay in reported:
        if pay:
            await act(username, PAID, {"batchId": batch_id, "paidOn": "2020-03-10"})
    await outbox.deliver_pending(engine, _SilentSender(), moment[0], limit=100_000)

    moment[0] = _at(date(2026, 1, 1))
    await act(city, OPEN, DEMO_ROUND)
    return {"subsidy_applications": len(walked), "subsidy_batches": len(reported)}


def _reviews(reviewer: str, target: str) -> bool:
    """Whether ``reviewer`` acts on an application bound for ``target``.

    A RETURNED one is rejected by the community and goes no further.
    """
    if target == "RETURNED":
        return reviewer == "COMMUNITY"
    order = ["DRAFT", "SUBMITTED", "COMMUNITY_APPROVED", "STREET_APPROVED", "DISTRICT_APPROVED"]
    final = order.index(target) if target in order else len(order)  # REPORTED, PAID: past all
    return final >= order.index(APPROVED[reviewer])
