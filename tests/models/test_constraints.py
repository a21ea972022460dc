"""The database itself refuses what the model forbids, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from propgraph.db import create_engine
from propgraph.models import Account, District, Project, Unit


async def _refused(url: str, statement: Any) -> None:
    engine = create_engine(url)
    try:
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(statement)
    finally:
        await engine.dispose()


async def _project(url: str) -> Any:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(select(Project).order_by(Project.id).limit(1))).one()
    finally:
        await engine.dispose()


async def test_one_manager_per_project(fresh_tiny_url: str) -> None:
    project = await _project(fresh_tiny_url)
    await _refused(
        fresh_tiny_url,
        insert(Account).values(
            username="second_manager", name="王二", role="MANAGER", project_id=project.id
        ),
    )


async def test_codes_are_unique(fresh_tiny_url: str) -> None:
    await _refused(fresh_tiny_url, insert(District).values(code="440303", name="另一个罗湖区"))


@pytest.mark.parametrize(
    "values",
    [
        {"role": "STREET", "street_id": 1},  # an office account needs a position
        {"role": "DISTRICT", "position": "HEAD"},  # and its scope node
        {"role": "MANAGER", "position": "HEAD", "project_id": 2},  # no position outside offices
        {"role": "OWNER"},  # an owner account names its owner record
    ],
)
async def test_an_account_has_its_roles_scope_and_position(
    fresh_tiny_url: str, values: dict
) -> None:
    await _refused(fresh_tiny_url, insert(Account).values(username="odd", name="某人", **values))


async def test_foreign_keys_hold(fresh_tiny_url: str) -> None:
    await _refused(
        fresh_tiny_url,
        insert(Unit).values(
            number="X-1",
            floor_area=Decimal("50"),
            building_id=999_999,
            project_id=1,
            community_id=1,
            street_id=1,
            district_id=1,
        ),
    )


async def test_roles_are_a_closed_list_in_the_database_too(fresh_tiny_url: str) -> None:
    # past SQLAlchemy's own check: the CHECK constraint of the column
    await _refused(
        fresh_tiny_url,
        text(
            "INSERT INTO accounts (username, name, role, position, disabled) VALUES ('k', 'k', 'KING', 'HEAD', false)"
        ),
    )
