"""Id lists of any length work on both databases (drivers cap parameters at ~32,767)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from propgraph.db import create_engine
from propgraph.models import Unit
from propgraph.resolvers.sql import ids_in


@pytest.mark.parametrize("count", [3, 1000, 1001, 40_000])
async def test_ids_in_any_number(tiny_db_url: str, count: int) -> None:
    engine = create_engine(tiny_db_url)
    try:
        async with engine.connect() as conn:
            ids = range(1, count + 1)
            found = await conn.scalar(
                select(func.count())
                .select_from(Unit)
                .where(ids_in(Unit.id, ids, engine.dialect.name))
            )
        assert found == min(count, 192)
    finally:
        await engine.dispose()
