"""Latency and SQL statements of typical requests, per role, on a seeded database.

    PROPGRAPH_DATABASE_URL=postgresql://postgres@127.0.0.1/city python bench/queries.py [--runs 30]

Requests go through the whole app in-process (ASGI, no network): token
check, account load, scope compilation, GraphQL, SQL. Prints the median and
90th percentile per query and the statements each one sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.app import running_app, statements_sent
from tests.support.queries import drill_down

CASES = [
    # (name, role of the account, query)
    ("drill-down of 2 districts, 5 per level below", "CITY", drill_down(first=5, districts=2)),
    ("drill-down of one district, 6 per level", "DISTRICT", drill_down(first=6)),
    (
        "street dashboard: communities → projects with stats",
        "STREET",
        "{ communities(first: 50) { edges { node { name stats { projects units floorArea owners } "
        "projects(first: 50) { edges { node { name stats { buildings units floorArea } } } } } } } }",
    ),
    (
        "city dashboard: districts with stats and subsidy figures",
        "CITY",
        "{ districts { edges { node { name stats { projects buildings units floorArea owners } "
        "subsidyFigures { total { applications area amount } } } } } }",
    ),
    (
        "one unit page by id, with owners",
        "MANAGER",
        "{ projects(first: 1) { edges { node { buildings(first: 1) { edges { node { units(first: 1) { edges { node { id number owners { name phone } } } } } } } } } } }",
    ),
    (
        "owner's home page",
        "OWNER",
        "{ me { scope { ... on Owner { name units { number floorArea building { name project { name region { districtName } } } } } } } }",
    ),
    (
        "public project directory, filtered",
        "PUBLIC",
        '{ projects(first: 20, filter: {nameContains: "花园"}) { totalCount edges { node { name kind region { districtName } } } } }',
    ),
]


async def username_for(app, role: str) -> str | None:  # type: ignore[no-untyped-def]
    if role == "PUBLIC":
        return None
    from sqlalchemy import select

    from propgraph.models import Account

    async with app.services.engine.connect() as conn:
        return (
            await conn.execute(
                select(Account.username)
                .where(Account.role == role, Account.disabled.is_(False))
                .order_by(Account.id)
                .limit(1)
            )
        ).scalar_one()


async def main(url: str, runs: int) -> None:
    async with running_app(url) as app:
        print(
            f"database: {app.services.engine.url.render_as_string(hide_password=True)}; {runs} runs each\n"
        )
        for name, role, query in CASES:
            client = app.client(await username_for(app, role))
            body = await client.execute(query)  # warm up caches, check it works
            assert not body.get("errors"), body["errors"]
            timings, statements = [], set()
            for _ in tqdm(range(runs), desc=name[:40], file=sys.stderr, leave=False):
                before = statements_sent()
                started = time.perf_counter()
                await client.execute(query)
                timings.append((time.perf_counter() - started) * 1000)
                statements.add(int(statements_sent() - before))
            timings.sort()
            p90 = timings[int(0.9 * (len(timings) - 1))]
            print(
                f"{name:58} {role:9} median {statistics.median(timings):7.1f} ms  p90 {p90:7.1f} ms  "
                f"statements {sorted(statements)}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("PROPGRAPH_DATABASE_URL", "sqlite:///propgraph.db")
    asyncio.run(main(url, args.runs))
