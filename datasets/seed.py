"""Seeding: check (or clear) the database, generate, load, report.

The whole seed is one transaction: it is all there or none of it is.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from tqdm import tqdm

from propgraph.datasets import generate as g
from propgraph.datasets.funds import FUND_ACCOUNT_COLUMNS, fund_accounts
from propgraph.datasets.load import Loader, loader_for
from propgraph.datasets.office import seed_office_history
from propgraph.datasets.owners import seed_owner_history
from propgraph.datasets.repairs import seed_repair_history
from propgraph.datasets.shape import SCALES, Scale
from propgraph.datasets.workflow import seed_subsidy_history
from propgraph.db import is_sqlite, write_transaction
from propgraph.migrate import ensure_current
from propgraph.models import Base
from propgraph.resolvers.graph.rollups import refresh_node_stats

__all__ = ["SCALES", "DatabaseNotEmpty", "SeedSummary", "seed"]

# Tables the seed never touches: the Casbin policy is configuration, not data
# (alembic_version is not in the metadata at all).
KEEP_TABLES = frozenset({"casbin_rule"})

# From this many units on, the big tables' indexes and foreign keys are
# dropped for the load and rebuilt after it (PostgreSQL).
DEFER_INDEXES_FROM_UNITS = 200_000

# Small tables are loaded in batches of this many rows (one progress step each).
BATCH_ROWS = 10_000

BULK_TABLES = ("units", "owners", "unit_owners", "fund_accounts")


@dataclass
class SeedSummary:
    """What :func:`seed` loaded: rows per table, and how long it took."""

    scale: str
    random_seed: int
    counts: dict[str, int]
    elapsed_seconds: float

    @property
    def elapsed(self) -> float:
        return self.elapsed_seconds

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        lines = [f"{table:<12} {count:>12,}" for table, count in self.counts.items()]
        lines.append(
            f"seeded scale {self.scale!r} (random seed {self.random_seed}): "
            f"{self.total_rows:,} rows in {self.elapsed_seconds:.1f} s"
        )
        return "\n".join(lines)


class DatabaseNotEmpty(RuntimeError):
    """The database already holds data and ``reset`` was not asked for."""

    def __init__(self, tables: Sequence[str]) -> None:
        self.tables = list(tables)
        super().__init__(
            f"The database already holds data (in {', '.join(self.tables)}); "
            "refusing to seed over it. Run `propgraph seed --reset` to delete all data "
            "and seed again."
        )


async def seed(
    engine: AsyncEngine,
    scale: str,
    *,
    random_seed: int = 20200220,
    reset: bool = False,
    progress: bool = True,
) -> SeedSummary:
    """Load the deterministic dataset ``scale`` (``tiny``, ``small`` or ``city``).

    ``engine`` must point at a database migrated to head, SQLite or
    PostgreSQL (else ``propgraph.migrate.DatabaseNotReady``). The same
    ``random_seed`` gives the same rows, ids and names on every run. A
    database holding any data is refused with :class:`DatabaseNotEmpty`
    unless ``reset`` is true, in which case every table's rows are deleted
    first (the Casbin policy table and Alembic's version table are kept).
    The whole seed is one transaction. ``progress`` draws tqdm bars on stderr.

    Usernames are stable: ``city_head``, ``district_440303_clerk``,
    ``enterprise_1``, ``manager_P440303001001001``, ``owner_1``,
    ``delegate_1``, ``disabled_clerk`` ... (see ``generate.accounts``).
    """
    shape = scale_named(scale)
    started = time.perf_counter()  # for the report only; no data depends on time
    await ensure_current(engine)  # a clear "run propgraph migrate" beats "no such table"
    async with _write_transaction(engine) as conn:
        tables = await data_tables(conn)
        populated = [table.name for table in tables if await _has_rows(conn, table)]
        if populated and not reset:
            raise DatabaseNotEmpty(populated)
        if reset:
            await clear(conn, tables)
        loader = loader_for(conn, Base.metadata)
        await loader.start()
        counts = await _load(loader, shape, random_seed, _Progress(progress))
        await loader.finish(list(counts))
    async with engine.begin() as conn:
        counts["node_stats"] = await refresh_node_stats(conn)
    # Workflow history goes through the real mutations, after the graph is committed.
    counts.update(await seed_subsidy_history(engine, shape.subsidy_applications))
    if shape.owner_meetings:
        counts.update(await seed_owner_history(engine))
    if shape.repair_projects:
        counts.update(await seed_repair_history(engine))
    if shape.subsidy_applications:  # the demo scales: office work too
        counts.update(await seed_office_history(engine))
    if not is_sqlite(engine):
        # Fresh statistics for every table, the small ones written last included
        # (node_stats, todos, subsidy_*): without them one dashboard statement
        # planned at 28–98 ms instead of 2.7 ms, and autovacuum may be off.
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    return SeedSummary(shape.name, random_seed, counts, time.perf_counter() - started)


def scale_named(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(SCALES)}") from None


@asynccontextmanager
async def _write_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn, write_transaction(conn):
        yield conn


async def data_tables(conn: AsyncConnection) -> list[Table]:
    """Every model table that exists in the database, parents before children.

    Read from the metadata at call time, so tables added by later
    migrations (workflow records referencing the graph) are covered.
    """
    existing = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name in existing and table.name not in KEEP_TABLES
    ]


async def _has_rows(conn: AsyncConnection, table: Table) -> bool:
    return (await conn.execute(select(text("1")).select_from(table).limit(1))).first() is not None


async def clear(conn: AsyncConnection, tables: Sequence[Table]) -> None:
    """Delete every row of ``tables`` (given parents first)."""
    if not tables:
        return
    if is_sqlite(conn):
        for table in reversed(tables):  # children first, for the foreign keys
            # Triggers that refuse DELETE (the append-only audit trail) are
            # set aside for the reset and put back as they were.
            triggers = (
                await conn.execute(
                    text(
                        "SELECT name, sql FROM sqlite_master"
                        " WHERE type = 'trigger' AND tbl_name = :t"
                    ),
                    {"t": table.name},
                )
            ).all()
            for name, _ in triggers:
                await conn.execute(text(f"DROP TRIGGER {_quote(conn, name)}"))
            await conn.execute(table.delete())
            for _, sql in triggers:
                await conn.execute(text(sql))
    else:
        # TRUNCATE fires no row triggers, so the audit trail's guard stays in place.
        # One TRUNCATE of all of them is the same as deleting child tables
        # first, and takes a moment where DELETE of millions of rows takes minutes.
        names = ", ".join(_quote(conn, table.name) for table in reversed(tables))
        await conn.execute(text(f"TRUNCATE TABLE {names}"))


def _quote(conn: AsyncConnection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


class _Progress:
    """tqdm bars on stderr, or nothing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def bar(self, desc: str, total: int | None, unit: str = " rows", **kwargs: Any) -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=desc,
            unit=unit,
            unit_scale=True,
            file=sys.stderr,
            disable=not self.enabled,
            dynamic_ncols=True,
            **kwargs,
        )


async def _load(loader: Loader, scale: Scale, seed: int, progress: _Progress) -> dict[str, int]:
    counts: dict[str, int] = {}

    async def load_table(table: str, columns: Sequence[str], rows: Sequence[g.Row]) -> None:
        with progress.bar(f"{table:<12}", len(rows)) as bar:
            for start in range(0, len(rows), BATCH_ROWS):
                batch = rows[start : start + BATCH_ROWS]
                await loader.insert(table, columns, batch)
                bar.update(len(batch))
        counts[table] = counts.get(table, 0) + len(rows)

    h = g.hierarchy(scale, seed)
    await load_table("districts", g.DISTRICT_COLUMNS, h.districts)
    await load_table("streets", g.STREET_COLUMNS, h.streets)
    await load_table("communities", g.COMMUNITY_COLUMNS, h.communities)
    await load_table("enterprises", g.ENTERPRISE_COLUMNS, h.enterprises)
    await load_table("projects", g.PROJECT_COLUMNS, h.projects)
    await load_table("buildings", g.BUILDING_COLUMNS, [b.row() for b in h.buildings])

    unit_total = h.unit_count
    restore_steps = 0
    if unit_total >= DEFER_INDEXES_FROM_UNITS:
        restore_steps = await loader.defer_indexes(BULK_TABLES)
    state = g.Occupancy(watch=g.watch_list(scale, unit_total, seed))
    with (
        progress.bar(f"{'units':<12}", unit_total) as units_bar,
        progress.bar(f"{'owners':<12}", None) as owners_bar,
        progress.bar(f"{'unit_owners':<12}", None) as links_bar,
    ):
        for chunk in g.occupancy(h, seed, scale.chunk_units, state):
            await loader.insert("units", g.UNIT_COLUMNS, chunk.units)
            units_bar.update(len(chunk.units))
            await loader.insert("owners", g.OWNER_COLUMNS, chunk.owners)
            owners_bar.update(len(chunk.owners))
            await loader.insert("unit_owners", g.UNIT_OWNER_COLUMNS, chunk.unit_owners)
            links_bar.update(len(chunk.unit_owners))
            await loader.insert(
                "fund_accounts", FUND_ACCOUNT_COLUMNS, fund_accounts(chunk.units, seed)
            )
    counts.update(
        units=state.units, owners=state.owners, unit_owners=state.links, fund_accounts=state.units
    )
    if restore_steps:
        with progress.bar("indexes", restore_steps, unit=" steps") as bar:
            await loader.restore_indexes(lambda _statement: bar.update())

    chosen = g.delegators(state, scale, seed)
    delegation_rows = g.delegations(chosen, scale, seed)
    await load_table("delegations", g.DELEGATION_COLUMNS, delegation_rows)
    account_rows = g.accounts(h, state, chosen, delegation_rows, scale, seed)
    await load_table("accounts", g.ACCOUNT_COLUMNS, account_rows)
    return counts
