"""A private tiny dataset, an app on a settable clock, and the cast of one project."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.support.app import RunningApp, running_app
from tests.support.office import office  # noqa: F401 - the office-work fixture
from tests.support.owners import Owners
from tests.support.subsidy import Cast, Clock, Flow, cast_for, in_window_clock


@dataclass
class Subsidy:
    app: RunningApp
    clock: Clock
    cast: Cast
    flow: Flow
    upload_dir: Path

    async def count(self, model: type, *where: object) -> int:
        async with self.app.services.engine.connect() as conn:
            return await conn.scalar(select(func.count()).select_from(model).where(*where))  # type: ignore[arg-type]

    async def rows(self, statement: object) -> list:
        async with self.app.services.engine.connect() as conn:
            return list((await conn.execute(statement)).all())  # type: ignore[arg-type]


@pytest.fixture
async def subsidy(fresh_tiny_url: str, tmp_path: Path) -> AsyncIterator[Subsidy]:
    clock = in_window_clock()
    uploads = tmp_path / "uploads"
    async with running_app(fresh_tiny_url, clock=clock, upload_dir=uploads) as app:
        cast = await cast_for(app)
        yield Subsidy(app, clock, cast, Flow(app, cast), uploads)


WORKFLOW_TABLES = (
    "subsidy_rounds",
    "subsidy_applications",
    "subsidy_evidence",
    "subsidy_batches",
    "audit_entries",
    "notifications",
    "notification_reads",
    "todos",
)


async def workflow_state(subsidy: Subsidy) -> dict[str, list]:
    """Every row of every workflow table: equal before and after means nothing was written."""
    from sqlalchemy import text

    state = {}
    async with subsidy.app.services.engine.connect() as conn:
        for name in WORKFLOW_TABLES:
            rows = await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))
            state[name] = [tuple(row) for row in rows]
    return state


@pytest.fixture
async def owners(fresh_tiny_url: str) -> AsyncIterator[Owners]:
    """Project 1 of a private tiny dataset, on a clock the test moves."""
    clock = in_window_clock()
    async with running_app(fresh_tiny_url, clock=clock) as app:
        cast = await cast_for(app)
        yield Owners(app, clock, cast, Flow(app, cast))
