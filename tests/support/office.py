"""The cast of office work around one project, on an app with a settable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text

from propgraph.clock import CITY_TZ
from propgraph.models import Account, Project
from propgraph.schema.relay import to_global_id
from tests.support.app import RunningApp, running_app
from tests.support.databases import TestDatabases
from tests.support.subsidy import Clock

OFFICE_TABLES = ("evaluations", "tender_filings", "audit_entries", "notifications", "todos")


@dataclass
class Office:
    app: RunningApp
    clock: Clock
    project_id: str
    people: dict[str, str]  # "community:HEAD", "street:CLERK", "enterprise", ... → username

    async def call(self, who: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        data = await self.app.client(self.people.get(who, who)).data(mutation, {"input": input})
        return next(iter(data.values()))

    async def ok(self, who: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        payload = await self.call(who, mutation, input)
        assert payload["errors"] == [], payload["errors"]
        return payload

    async def refused(self, who: str, mutation: str, input: dict[str, Any]) -> str:
        """The one error's code; asserts nothing was written."""
        before = await self.state()
        payload = await self.call(who, mutation, input)
        assert len(payload["errors"]) == 1, payload
        assert await self.state() == before
        return payload["errors"][0]["code"]

    async def data(self, who: str, query: str, variables: dict[str, Any] | None = None) -> Any:
        return await self.app.client(self.people.get(who, who)).data(query, variables)

    async def state(self) -> dict[str, list]:
        state = {}
        async with self.app.services.engine.connect() as conn:
            for name in OFFICE_TABLES:
                rows = await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))
                state[name] = [tuple(row) for row in rows]
        return state

    async def scalar(self, statement: Any) -> Any:
        async with self.app.services.engine.connect() as conn:
            return await conn.scalar(statement)


async def people_around(app: RunningApp, project_pk: int) -> dict[str, str]:
    async with app.services.engine.connect() as conn:
        project = (await conn.execute(select(Project).where(Project.id == project_pk))).one()

        async def first(*where: Any) -> str:
            return await conn.scalar(
                select(Account.username)
                .where(Account.disabled.is_(False), *where)
                .order_by(Account.id)
                .limit(1)
            )

        other = await conn.scalar(
            select(func.min(Project.id)).where(
                Project.street_id != project.street_id,
                Project.enterprise_id != project.enterprise_id,
            )
        )
        people = {
            "city": await first(Account.role == "CITY"),
            "enterprise": await first(
                Account.role == "ENTERPRISE", Account.enterprise_id == project.enterprise_id
            ),
            "manager": await first(Account.role == "MANAGER", Account.project_id == project_pk),
            "other_manager": await first(Account.role == "MANAGER", Account.project_id == other),
            "other_enterprise": await first(
                Account.role == "ENTERPRISE", Account.enterprise_id != project.enterprise_id
            ),
            "owner": await first(Account.role == "OWNER"),
        }
        for level in ("district", "street", "community"):
            role = level.upper()
            node = getattr(project, f"{level}_id")
            column = getattr(Account, f"{level}_id")
            for position in ("HEAD", "CLERK"):
                people[f"{level}:{position}"] = await first(
                    Account.role == role, column == node, Account.position == position
                )
                people[f"other_{level}:{position}"] = await first(
                    Account.role == role, column != node, Account.position == position
                )
    return people


def local(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TZ)


@pytest.fixture
async def office(fresh_tiny_url: str) -> AsyncIterator[Office]:
    clock = Clock(local(date(2026, 6, 10)))
    async with running_app(fresh_tiny_url, clock=clock) as app:
        people = await people_around(app, 1)
        missing = [k for k, v in people.items() if v is None]
        assert not missing, f"the tiny dataset lacks {missing}"
        yield Office(app, clock, to_global_id("Project", 1), people)


async def office_history_copy(databases: TestDatabases, template_url: str) -> str:
    """A private copy of ``template_url`` with the demo's office history seeded into it
    (the shared tiny dataset holds no office work)."""
    from propgraph.datasets.office import seed_office_history
    from propgraph.db import create_engine

    url = await databases.copy(template_url)
    engine = create_engine(url)
    try:
        await seed_office_history(engine)
    finally:
        await engine.dispose()
    return url
