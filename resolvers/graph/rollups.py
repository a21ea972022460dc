"""Refreshing the ``node_stats`` rollups from the graph tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.scope import CityScope
from propgraph.models import Community, District, NodeStats, Project, Street
from propgraph.resolvers.graph.stats import LEVELS, StatsRow, collect, stats_statement

LEVEL_TABLES: dict[str, type[District | Street | Community | Project]] = {
    "district": District,
    "street": Street,
    "community": Community,
    "project": Project,
}


async def recount_node_stats(conn: AsyncConnection) -> dict[tuple[str, int], StatsRow]:
    """Every node's whole-subtree figures counted now, keyed by (level, node id)."""
    figures: dict[tuple[str, int], StatsRow] = {}
    for level in LEVELS:
        ids = list((await conn.execute(select(LEVEL_TABLES[level].id))).scalars())
        if not ids:
            continue
        rows = (
            await conn.execute(stats_statement(CityScope(), level, None, conn.dialect.name))
        ).all()
        figures.update(((level, pk), f) for pk, f in collect(rows, ids).items())
    return figures


async def refresh_node_stats(conn: AsyncConnection) -> int:
    """Recount every node's whole subtree (one GROUP BY statement per level)."""
    now = datetime.now(UTC)
    figures = await recount_node_stats(conn)
    await conn.execute(delete(NodeStats))
    if figures:
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
                for (level, pk), f in figures.items()
            ],
        )
    return len(figures)
