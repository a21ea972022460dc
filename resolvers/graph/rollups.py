"""Refreshing the ``node_stats`` rollups from the graph tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.scope import CityScope
from propgraph.models import Community, District, NodeStats, Project, Street
from propgraph.resolvers.graph.stats import LEVELS, collect, stats_statement

LEVEL_TABLES = {"district": District, "street": Street, "community": Community, "project": Project}


async def refresh_node_stats(conn: AsyncConnection) -> int:
    """Recount every node's whole subtree (one GROUP BY statement per level)."""
    now = datetime.now(UTC)
    await conn.execute(delete(NodeStats))
    written = 0
    for level in LEVELS:
        ids = list((await conn.execute(select(LEVEL_TABLES[level].id))).scalars())
        if not ids:
            continue
        rows = (
            await conn.execute(stats_statement(CityScope(), level, None, conn.dialect.name))
        ).all()
        figures = collect(rows, ids)
        await conn.execute(
            insert(NodeStats),
            [
                {
                    "level": level,
                    "node_id": pk,
                    "projects": f.projects,
                    "buildings": f.buildings,
                    "units": f.units,
                    "floor_area": f.floor_area,
                    "owners": f.owners,
                    "refreshed_at": now,
                }
                for pk, f in figures.items()
            ],
        )
        written += len(figures)
    return written
