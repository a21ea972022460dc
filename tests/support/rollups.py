"""The drill-down rollups (``node_stats``) against a recount of the graph (issue 8.3).

Any test whose writes might touch what the rollups count (projects,
buildings, units, floor area, owners) calls ``assert_rollups_exact`` after
them, or ``rollup_differences`` inside its own transaction. The recount is
``resolvers.graph.rollups.recount_node_stats``, the one ``refresh-stats`` uses.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from propgraph.db import create_engine
from propgraph.models import NodeStats
from propgraph.resolvers.graph.rollups import recount_node_stats
from propgraph.resolvers.graph.stats import StatsRow


async def rollup_differences(conn: AsyncConnection) -> list[str]:
    """One line per node whose stored figures differ from a recount (or that is missing)."""
    stored = {
        (row.level, row.node_id): StatsRow(
            row.projects, row.buildings, row.units, row.floor_area, row.owners
        )
        for row in (await conn.execute(select(NodeStats))).all()
    }
    counted = await recount_node_stats(conn)
    return [
        f"{level} {pk}: stored {stored.get((level, pk))}, counted {counted.get((level, pk))}"
        for level, pk in sorted(stored.keys() | counted.keys())
        if stored.get((level, pk)) != counted.get((level, pk))
    ]


async def assert_rollups_exact(target: str | AsyncEngine) -> None:
    """``node_stats`` equals a recount of every district, street, community and project."""
    engine = create_engine(target) if isinstance(target, str) else target
    try:
        async with engine.connect() as conn:
            differences = await rollup_differences(conn)
    finally:
        if isinstance(target, str):
            await engine.dispose()
    assert not differences, f"{len(differences)} rollups differ: " + "; ".join(differences[:5])
