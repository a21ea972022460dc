"""The gateway's own CPU per request, in process: no sockets, no HTTP client.

Drives the app (``create_app``) through ASGI directly with the benchmark's
five requests, against the benchmark database ``propgraph bench`` loaded,
and prints, per request, the median wall time and the process's CPU time per
request (which includes the PostgreSQL driver's share, not PostgreSQL's).
``--profile`` writes a cProfile of one case to a file for ``pstats``.

    python bench/inprocess.py --scale city --requests 300
    python bench/inprocess.py --only unit --profile /tmp/unit.prof
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cases import CASES, Case
from bench.run import accounts_and_params


def _scope(body: bytes, token: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def call(app: Any, body: bytes, token: str) -> bytes:
    """One request through the ASGI app; the answer's body."""
    sent = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(_scope(body, token), receive, send)
    return b"".join(chunks)


async def run(args: argparse.Namespace) -> None:
    database = f"propgraph_bench_{args.scale}"
    url = f"{args.postgres.rstrip('/')}/{database}"
    os.environ["PROPGRAPH_DATABASE_URL"] = url.replace("postgresql://", "postgresql+asyncpg://")
    os.environ.setdefault("PROPGRAPH_JWT_SECRET", "x" * 64)
    os.environ["PROPGRAPH_OUTBOX_INTERVAL_SECONDS"] = "0"
    from propgraph.app import create_app
    from propgraph.settings import get_settings
    from propgraph.tokens import TokenCodec

    picked = await accounts_and_params(url)
    settings = get_settings()
    if args.logs:  # as `serve` logs: one JSON line per request (run with 2>/dev/null)
        from propgraph.logs import configure_logging

        configure_logging(settings.log_level, settings.log_json, settings.access_log)
    app = create_app(settings)
    codec = TokenCodec.from_settings(settings)
    cases: list[Case] = [c for c in CASES if not args.only or c.key in args.only]
    async with app.router.lifespan_context(app):
        for case in cases:
            username, params = picked[case.key]
            token = codec.issue(username, 3600)
            body = json.dumps(
                {"query": case.graphql, "variables": case.graphql_variables(params)}
            ).encode()
            answer = await call(app, body, token)
            if b'"errors"' in answer:
                raise SystemExit(f"{case.key}: {answer[:300]!r}")
            for _ in range(20):
                await call(app, body, token)
            walls: list[float] = []
            profiler = cProfile.Profile() if args.profile else None
            cpu0 = time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.requests):
                t0 = time.perf_counter()
                await call(app, body, token)
                walls.append((time.perf_counter() - t0) * 1000)
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            cpu = (time.process_time() - cpu0) * 1000 / args.requests
            print(
                f"{case.key:9s} wall p50 {statistics.median(walls):6.3f} ms   "
                f"CPU/request {cpu:6.3f} ms   ({args.requests} requests, {len(answer)} bytes)",
                file=sys.stdout,
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="city", choices=["city", "small"])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", action="append", help="a case key (street, unit, …)")
    parser.add_argument("--logs", action="store_true", help="log to stderr as `serve` does")
    parser.add_argument("--profile", help="write a cProfile of the (single) case here")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
