"""Driving the subsidy workflow in tests: the cast around one project, and each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from propgraph.clock import CITY_TZ
from propgraph.models import Account, Project
from propgraph.schema.relay import to_global_id
from tests.support.app import RunningApp

APPLICATION_FIELDS = """id status version area recordedArea areaChanged areaConfirmed pledgeAccepted
  amount amountExact managerName managerPhone propertyType projectName"""
ERRORS = "errors { code field message }"

OPEN_ROUND = f"""mutation($input: OpenSubsidyRoundInput!) {{ openSubsidyRound(input: $input) {{
  round {{ id name ratePerSqmMonth months opensOn closesOn }} {ERRORS} }} }}"""
CREATE = f"""mutation($input: CreateSubsidyApplicationInput!) {{ createSubsidyApplication(input: $input) {{
  application {{ {APPLICATION_FIELDS} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: UpdateSubsidyApplicationInput!) {{ updateSubsidyApplication(input: $input) {{
  application {{ {APPLICATION_FIELDS} }} {ERRORS} }} }}"""
DELETE = f"""mutation($input: DeleteSubsidyApplicationInput!) {{ deleteSubsidyApplication(input: $input) {{
  deletedId {ERRORS} }} }}"""
SUBMIT = f"""mutation($input: SubmitSubsidyApplicationInput!) {{ submitSubsidyApplication(input: $input) {{
  application {{ {APPLICATION_FIELDS} }} {ERRORS} }} }}"""
REVIEW = f"""mutation($input: ReviewSubsidyApplicationInput!) {{ reviewSubsidyApplication(input: $input) {{
  application {{ {APPLICATION_FIELDS} }} {ERRORS} }} }}"""
REPORT = f"""mutation($input: ReportSubsidyBatchInput!) {{ reportSubsidyBatch(input: $input) {{
  batch {{ id totalAmount totalAmountExact paidOn applications {{ id status amount amountExact }} }} {ERRORS} }} }}"""
PAID = f"""mutation($input: MarkSubsidyBatchPaidInput!) {{ markSubsidyBatchPaid(input: $input) {{
  batch {{ id paidOn applications {{ id status }} }} {ERRORS} }} }}"""
UPLOAD = f"""mutation($input: UploadEvidenceInput!) {{ uploadEvidence(input: $input) {{
  evidence {{ id kind filename size contentType }} {ERRORS} }} }}"""
TIMELINE = """query($id: ID!) { node(id: $id) { ... on SubsidyApplication { status timeline {
  actor role action fromStatus toStatus comment } } } }"""

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class Clock:
    """The one clock the app reads; tests move it."""

    def __init__(self, local: datetime) -> None:
        self.now = local.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, day: date, hour: int = 10) -> None:
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TZ).astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def in_window_clock() -> Clock:
    """2020-02-20 10:00 in Shenzhen: inside ROUND's window."""
    return Clock(datetime(2020, 2, 20, 10, tzinfo=CITY_TZ))


ROUND = {
    "name": "2020年物业服务企业疫情防控补贴",
    "ratePerSqmMonth": 0.5,
    "months": 2,
    "opensOn": "2020-02-16",
    "closesOn": "2020-03-31",
}


@dataclass
class Cast:
    """Accounts around one project, and their counterparts elsewhere."""

    project_pk: int
    project_id: str
    recorded_area: float
    city: str
    enterprise: str
    manager: str
    manager_phone: str
    community: list[str]  # head and clerk of the project's community
    street: list[str]
    district: list[str]
    other_community: str
    other_street: str
    other_district: str
    other_enterprise: str
    other_manager: str


async def cast_for(app: RunningApp, project_pk: int = 1) -> Cast:
    async with app.services.engine.connect() as conn:
        project = (await conn.execute(select(Project).where(Project.id == project_pk))).one()

        async def usernames(*where: Any) -> list[str]:
            rows = await conn.execute(
                select(Account.username)
                .where(Account.disabled.is_(False), *where)
                .order_by(Account.id)
            )
            return list(rows.scalars())

        manager = (
            await conn.execute(
                select(Account).where(Account.role == "MANAGER", Account.project_id == project_pk)
            )
        ).one()
        other_project = await conn.scalar(
            select(func.min(Project.id)).where(
                Project.district_id != project.district_id,
                Project.enterprise_id != project.enterprise_id,
            )
        )
        return Cast(
            project_pk=project_pk,
            project_id=to_global_id("Project", project_pk),
            recorded_area=float(project.total_area),
            city=(await usernames(Account.role == "CITY"))[0],
            enterprise=(
                await usernames(
                    Account.role == "ENTERPRISE", Account.enterprise_id == project.enterprise_id
                )
            )[0],
            manager=manager.username,
            manager_phone=manager.phone,
            community=await usernames(
                Account.role == "COMMUNITY", Account.community_id == project.community_id
            ),
            street=await usernames(
                Account.role == "STREET", Account.street_id == project.street_id
            ),
            district=await usernames(
                Account.role == "DISTRICT", Account.district_id == project.district_id
            ),
            other_community=(
                await usernames(
                    Account.role == "COMMUNITY", Account.community_id != project.community_id
                )
            )[0],
            other_street=(
                await usernames(Account.role == "STREET", Account.street_id != project.street_id)
            )[0],
            other_district=(
                await usernames(
                    Account.role == "DISTRICT", Account.district_id != project.district_id
                )
            )[0],
            other_enterprise=(
                await usernames(
                    Account.role == "ENTERPRISE", Account.enterprise_id != project.enterprise_id
                )
            )[0],
            other_manager=(
                await usernames(Account.role == "MANAGER", Account.project_id == other_project)
            )[0],
        )


class Flow:
    """Each workflow step as the right account; returns the mutation's payload."""

    def __init__(self, app: RunningApp, cast: Cast) -> None:
        self.app = app
        self.cast = cast

    async def call(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        data = await self.app.client(username).data(mutation, {"input": input})
        return next(iter(data.values()))

    async def ok(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        payload = await self.call(username, mutation, input)
        assert payload["errors"] == [], payload["errors"]
        return payload

    async def open_round(self, **overrides: Any) -> str:
        payload = await self.ok(self.cast.city, OPEN_ROUND, {**ROUND, **overrides})
        return payload["round"]["id"]

    def application_input(self, round_id: str, **overrides: Any) -> dict[str, Any]:
        return {
            "roundId": round_id,
            "projectId": self.cast.project_id,
            "managerName": "李明",
            "managerPhone": self.cast.manager_phone,
            "propertyType": "RESIDENTIAL",
            **overrides,
        }

    async def create(self, round_id: str, **overrides: Any) -> dict[str, Any]:
        payload = await self.ok(
            self.cast.enterprise, CREATE, self.application_input(round_id, **overrides)
        )
        return payload["application"]

    async def submit(self, app: dict[str, Any], **extra: Any) -> dict[str, Any]:
        input = {"id": app["id"], "version": app["version"], "acceptPledge": True, **extra}
        return (await self.ok(self.cast.manager, SUBMIT, input))["application"]

    async def review(
        self, username: str, app: dict[str, Any], decision: str = "APPROVE", **extra: Any
    ) -> dict[str, Any]:
        input = {"id": app["id"], "version": app["version"], "decision": decision, **extra}
        return (await self.ok(username, REVIEW, input))["application"]

    async def to_status(self, round_id: str, status: str) -> dict[str, Any]:
        """A new application for the cast's project, walked up to ``status``."""
        app = await self.create(round_id)
        steps = [
            ("SUBMITTED", lambda a: self.submit(a)),
            ("COMMUNITY_APPROVED", lambda a: self.review(self.cast.community[0], a)),
            ("STREET_APPROVED", lambda a: self.review(self.cast.street[0], a)),
            ("DISTRICT_APPROVED", lambda a: self.review(self.cast.district[0], a)),
        ]
        for reached, step in steps:
            if app["status"] == status:
                break
            app = await step(app)
            assert app["status"] == reached
        assert app["status"] == status
        return app

    async def upload(
        self,
        username: str,
        app_id: str,
        content: bytes = PDF,
        filename: str = "合同.pdf",
        kind: str = "CONTRACT",
    ) -> dict[str, Any]:
        """An evidence upload as a GraphQL multipart request."""
        import json

        operations = {
            "query": UPLOAD,
            "variables": {"input": {"applicationId": app_id, "kind": kind, "file": None}},
        }
        client = self.app.client(username)
        response = await self.app.http.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            files={"0": (filename, content, "application/pdf")},
            headers={"Authorization": f"Bearer {client.token}"},
        )
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]["uploadEvidence"]
