"""The gateway against hand-written SQL, on the city dataset in PostgreSQL.

    propgraph bench [--scale city|small] [--workers 2] [--rounds 5] [--requests 100]
    python bench/run.py …                    (the same, from a source checkout)

1. Loads the dataset into its own database (``propgraph_bench_<scale>`` on
   ``--postgres``), or reuses it when its unit count says it is there.
2. Starts ``propgraph serve --workers N`` on a free loopback port, with a
   fresh signing key, and takes one token per account with ``propgraph token``.
3. For each of the five requests (bench/cases.py), asks the gateway and runs
   the hand-written statement through asyncpg, and checks the answers are
   equal (bench/normalise.py); a difference is printed, never hidden, and
   makes the exit code 1.
4. Counts the SQL statements per request from the server's /metrics.
5. Interleaved rounds: every round runs every request at concurrency 1 and 8,
   gateway and SQL alternating which goes first; each batch is bounded by
   ``--requests`` and ``--seconds``. Reports the median over rounds of each
   batch's p50, p95 and requests per second.
6. Prints one markdown table and writes JSON (``bench/results/``), with the
   machine, the load average before and after, and every setting.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench.cases import ACCOUNT_SQL, CASES, Case  # noqa: E402
from bench.normalise import compare, loads  # noqa: E402
from bench.server import (  # noqa: E402
    Server,
    own_peak_rss_mib,
    propgraph_command,
    server_environment,
    statements_counter,
    token_for,
)

# The unit count that says a database holds the whole dataset of a scale.
EXPECTED_UNITS = {"small": 20_400, "city": 3_000_000}
CONCURRENCY = (1, 8)
SIDES = ("gateway", "sql")


# ---------------------------------------------------------------- the dataset


async def ensure_dataset(postgres: str, database: str, scale: str, reseed: bool) -> dict[str, Any]:
    """Create and seed the database unless it already holds the scale's dataset."""
    admin = await asyncpg.connect(f"{postgres}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()
    url = f"{postgres}/{database}"
    conn = await asyncpg.connect(url)
    try:
        units = None
        if await conn.fetchval("SELECT to_regclass('units')") is not None:
            units = await conn.fetchval("SELECT count(*) FROM units")
    finally:
        await conn.close()
    env = {**os.environ, "PROPGRAPH_DATABASE_URL": url}
    if units == EXPECTED_UNITS[scale] and not reseed:
        # The checkout may have gained migrations since the load; serve refuses an old schema.
        subprocess.run([*propgraph_command(), "migrate"], env=env, check=True, stdout=sys.stderr)
        await _analyze(url)
        return {"reused": True, "units": units, "seed_seconds": None}
    if units and not reseed:
        raise SystemExit(
            f"bench: {database} holds {units:,} units, not the {scale} dataset's "
            f"{EXPECTED_UNITS[scale]:,}; pass --reseed to replace it, or --database another name."
        )
    print(f"Loading the {scale} dataset into {database} (propgraph seed)…", file=sys.stderr)
    started = time.monotonic()
    subprocess.run([*propgraph_command(), "migrate"], env=env, check=True)
    subprocess.run(
        [*propgraph_command(), "seed", "--scale", scale, *(["--reset"] if units else [])],
        env=env,
        check=True,
    )
    await _analyze(url)
    conn = await asyncpg.connect(url)
    try:
        units = await conn.fetchval("SELECT count(*) FROM units")
    finally:
        await conn.close()
    return {"reused": False, "units": units, "seed_seconds": round(time.monotonic() - started, 1)}


async def _analyze(url: str) -> None:
    """Fresh planner statistics for both sides: after COPY the small tables had
    none, and one dashboard statement planned at 28–98 ms (NOTES.md). ~2 s at city scale."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def accounts_and_params(url: str) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """Per case: the account that runs it and the SQL parameters of its scope."""
    conn = await asyncpg.connect(url)
    try:
        picked = {}
        for key, query in ACCOUNT_SQL.items():
            row = await conn.fetchrow(query)
            if row is None:
                raise SystemExit(f"bench: no account for the {key} case in this database")
            picked[key] = (row[0], tuple(row[1:]))
        return picked
    finally:
        await conn.close()


# ------------------------------------------------------------------- drivers


@dataclass
class Batch:
    latencies_ms: list[float]
    seconds: float
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def drive(send: Any, concurrency: int, requests: int, seconds: float) -> Batch:
    """``requests`` calls of ``send()`` from ``concurrency`` tasks, stopping early at ``seconds``."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def worker() -> None:
        nonlocal issued, errors
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            t0 = time.perf_counter()
            ok = await send()
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += not ok

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Batch(latencies, time.perf_counter() - started, errors)


CLIENTS = {"lean": "bench/lean_http.py over httptools", "aiohttp": "aiohttp"}


class Gateway:
    """The served gateway over HTTP/1.1 keep-alive connections: by default the lean
    client of ``bench/lean_http.py`` (httptools, as uvicorn parses), or aiohttp
    (``--client aiohttp``), whose own CPU per request is several times asyncpg's
    and shares the two cores with the server."""

    def __init__(self, base_url: str, concurrency: int, client: str = "lean") -> None:
        self.base_url = base_url
        self.client = client
        if client == "aiohttp":
            import aiohttp  # the bench extra; the report's functions (tests/bench) need none

            self.http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=concurrency),
                timeout=aiohttp.ClientTimeout(total=60.0),
            )
        else:
            from bench.lean_http import LeanClient

            self.lean = LeanClient(base_url, concurrency)

    def _request(
        self, case: Case, token: str, params: tuple[Any, ...]
    ) -> tuple[str, bytes, dict[str, str]]:
        body = {"query": case.graphql, "variables": case.graphql_variables(params)}
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        return "/graphql", json.dumps(body).encode(), headers

    async def _send(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        if self.client == "aiohttp":
            url = f"{self.base_url}{path}"
            async with self.http.request(method, url, data=body, headers=headers) as response:
                return response.status, await response.read()
        return await self.lean.send(self.lean.request(method, path, body, headers))

    def sender(self, case: Case, token: str, params: tuple[Any, ...]) -> Any:
        path, body, headers = self._request(case, token, params)
        if self.client == "aiohttp":

            async def post() -> tuple[int, bytes]:
                return await self._send("POST", path, body, headers)
        else:
            request = self.lean.request("POST", path, body, headers)  # its bytes built once

            async def post() -> tuple[int, bytes]:
                return await self.lean.send(request)

        async def send() -> bool:
            status, content = await post()
            return status == 200 and b'"errors"' not in content

        return send

    async def answer(self, case: Case, token: str, params: tuple[Any, ...]) -> dict[str, Any]:
        status, content = await self._send("POST", *self._request(case, token, params))
        answer: dict[str, Any] = loads(content)
        answer["_status"] = status
        return answer

    async def statements(self) -> float:
        _, content = await self._send("GET", "/metrics")
        return statements_counter(content.decode())

    async def close(self) -> None:
        if self.client == "aiohttp":
            await self.http.close()
        else:
            await self.lean.close()


async def _no_reset(_conn: asyncpg.Connection) -> None:
    """A read-only statement leaves no session state: nothing to reset on release.
    (asyncpg's default reset is one more round trip per request, which the
    gateway, whose pool rolls back only a transaction it began, does not pay.)"""


class Sql:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    def sender(self, case: Case, params: tuple[Any, ...]) -> Any:
        async def send() -> bool:
            async with self.pool.acquire() as conn:
                return (await conn.fetchval(case.sql, *params)) is not None

        return send

    async def answer(self, case: Case, params: tuple[Any, ...]) -> Any:
        async with self.pool.acquire() as conn:
            return loads(await conn.fetchval(case.sql, *params))


# ---------------------------------------------------------------- the report


@dataclass
class Figures:
    p50: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    # CPU seconds spent on these requests: the gateway's workers (Python) and
    # the benchmark database's PostgreSQL backends. Unlike latency, hardly
    # changed by other work on the machine.
    python_cpu: float = 0.0
    postgres_cpu: float = 0.0

    def add(self, batch: Batch) -> None:
        self.p50.append(percentile(batch.latencies_ms, 0.50))
        self.p95.append(percentile(batch.latencies_ms, 0.95))
        self.rps.append(batch.rps)
        self.requests += len(batch.latencies_ms)
        self.errors += batch.errors

    def summary(self) -> dict[str, Any]:
        return {
            "p50_ms": round(statistics.median(self.p50), 3),
            "p95_ms": round(statistics.median(self.p95), 3),
            "rps": round(statistics.median(self.rps), 1),
            "rounds": len(self.p50),
            "requests": self.requests,
            "errors": self.errors,
            "python_cpu_ms_per_request": round(1000 * self.python_cpu / self.requests, 2)
            if self.requests
            else None,
            "postgres_cpu_ms_per_request": round(1000 * self.postgres_cpu / self.requests, 2)
            if self.requests
            else None,
        }


def checkout() -> str:
    """The commit served, and whether the working tree had changes on top of it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} with uncommitted changes" if dirty else head


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem_gib = round(kib / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def cpu_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def backend_cpu_seconds(database: str) -> float:
    """CPU time so far of the PostgreSQL backends connected to ``database``
    (their title reads ``postgres: USER DATABASE HOST …``); same host only."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres: ") or f" {database} " not in title:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(results: dict[str, Any]) -> str:
    lines = [
        "| request | role | side | SQL statements / request | p50 c=1 (ms) | p95 c=1 (ms) "
        "| p50 c=8 (ms) | p95 c=8 (ms) | req/s c=1 | req/s c=8 | ratio to SQL (p50 c=1 / req/s c=8) "
        "| CPU ms / request (gateway + PostgreSQL) | peak RSS / worker (MiB) | answers equal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in results["cases"]:
        g, s = case["gateway"], case["sql"]
        for side, figures in (("gateway", g), ("SQL", s)):
            c1, c8 = figures["c1"], figures["c8"]
            if side == "gateway":
                ratio = (
                    f"{c1['p50_ms'] / s['c1']['p50_ms']:.1f}× / {s['c8']['rps'] / c8['rps']:.1f}×"
                    if c8["rps"] and s["c1"]["p50_ms"]
                    else "–"
                )
                equal = "yes" if case["equal"] else f"**NO**: {case['difference']}"
                head = f"| {case['title']} | {case['role']} "
                statements = f"{g['statements_per_request']:g}"
                rss = g["peak_rss_mib_per_worker"]
                memory = (
                    f"{max(rss['peak_mib']):.0f} (idle {max(rss['idle_mib']):.0f})"
                    if "peak_mib" in rss
                    else "not measured"
                )
            else:
                ratio, equal, head, statements, memory = "1", "", "| | ", "1", "–"
            errors = c1["errors"] + c8["errors"]
            cpu = cpu_per_request(figures)
            if side == "gateway":
                sql_cpu = cpu_per_request(s)
                cpu_text = f"{cpu[0]:.1f} + {cpu[1]:.2f}"
                if sql_cpu[1]:
                    cpu_text += f" ({(cpu[0] + cpu[1]) / sql_cpu[1]:.0f}×)"
            else:
                cpu_text = f"{cpu[1]:.2f}"
            lines.append(
                f"{head}| {side}{f' ({errors} errors)' if errors else ''} | {statements} "
                f"| {fmt_ms(c1['p50_ms'])} | {fmt_ms(c1['p95_ms'])} "
                f"| {fmt_ms(c8['p50_ms'])} | {fmt_ms(c8['p95_ms'])} "
                f"| {c1['rps']:.0f} | {c8['rps']:.0f} | {ratio} | {cpu_text} | {memory} | {equal} |"
            )
    return "\n".join(lines)


def cpu_per_request(side: dict[str, Any]) -> tuple[float, float]:
    """(gateway workers, PostgreSQL) CPU ms per request over both concurrencies."""
    requests = sum(side[f"c{c}"]["requests"] for c in CONCURRENCY)
    if not requests:
        return (0.0, 0.0)

    def total(key: str) -> float:
        return sum((side[f"c{c}"][key] or 0) * side[f"c{c}"]["requests"] for c in CONCURRENCY)

    return (
        total("python_cpu_ms_per_request") / requests,
        total("postgres_cpu_ms_per_request") / requests,
    )


def conditions(results: dict[str, Any]) -> str:
    m, r = results["machine"], results["settings"]
    rss = ", ".join(f"{v:.0f}" for v in results["peak_rss_mib_per_worker"].values())
    load = results["load_average"]
    cpu = results["cpu_during_rounds"]
    return "\n".join(
        [
            f"{results['date']}, scale `{r['scale']}` ({results['dataset']['units']:,} units), "
            f"`propgraph serve --workers {r['workers']}`; {m['cores']} cores ({m['cpu']}), "
            f"{m['memory_gib']} GiB, {results['postgres']} on the same host, Python {m['python']}; "
            f"code {results['code']}.",
            f"Medians over {r['rounds']} interleaved rounds of at most {r['requests']} requests "
            f"or {r['seconds']:g} s per batch; the clients ({r['client']}) run on the same cores.",
            "Peak RSS per worker: VmHWM of the busiest worker of a fresh server that "
            "answered only that request (warm-up, then one batch at c=8); after all "
            f"the interleaved rounds the workers' peaks were {rss} MiB; the benchmark "
            f"client's own: {results['client_peak_rss_mib']:.0f} MiB.",
            f"Load average (1 min) before starting: {load['before']:.2f}"
            + (
                " — other work was running; read the figures as indicative."
                if load["before"] > 0.5 or cpu["other_cores"] > 0.2
                else "."
            ),
            f"CPU during the rounds, in cores busy out of {m['cores']}: "
            f"{cpu['machine_cores']:.2f} in all; the client {cpu['client_cores']:.2f}, the "
            f"gateway's workers {cpu['gateway_cores']:.2f}, PostgreSQL's backends for "
            f"this database (both sides) {cpu['postgres_cores']:.2f}, everything else "
            f"(other users' work) {cpu['other_cores']:.2f}.",
            f"PROPGRAPH_LIMITS: {r['limits'] or 'not set (the default per-role limits)'}.",
        ]
    )


# -------------------------------------------------------------------- the run


async def rss_for_case(
    case: Case, token: str, params: tuple[Any, ...], env: dict[str, str], log: Any, args: Any
) -> dict[str, Any]:
    """VmHWM of each worker of a fresh server: idle, then after warm-up and one
    batch at the highest concurrency of this request only."""
    server = Server(env, args.workers, log, args.port)
    server.start()
    gateway = Gateway(server.base_url, max(CONCURRENCY), args.client)
    try:
        idle = server.peak_rss_mib()
        await drive(gateway.sender(case, token, params), max(CONCURRENCY), args.warmup, 60)
        await drive(
            gateway.sender(case, token, params), max(CONCURRENCY), args.requests, args.seconds
        )
        peak = server.peak_rss_mib()
    finally:
        await gateway.close()
        server.stop()
    return {
        "idle_mib": [round(v, 1) for v in idle.values()],
        "peak_mib": [round(v, 1) for v in peak.values()],
    }


async def run(args: argparse.Namespace) -> int:
    database = args.database or f"propgraph_bench_{args.scale}"
    url = f"{args.postgres}/{database}"
    load_before = os.getloadavg()[0]
    code = checkout()
    dataset = await ensure_dataset(args.postgres, database, args.scale, args.reseed)
    picked = await accounts_and_params(url)
    env = server_environment(url, args.limits)
    with ThreadPoolExecutor(len(picked)) as pool_of_commands:  # one `propgraph token` each
        tokens = dict(
            zip(
                picked,
                pool_of_commands.map(lambda u: token_for(u, env), [u for u, _ in picked.values()]),
                strict=True,
            )
        )
    cases = [c for c in CASES if not args.only or c.key in args.only]

    out_dir = Path(args.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = out_dir / f"server-{args.scale}-{stamp}.log"
    # The gateway's connections run with JIT off (propgraph/db.py); so do these.
    pool = await asyncpg.create_pool(
        url,
        min_size=max(CONCURRENCY),
        max_size=max(CONCURRENCY),
        server_settings={"jit": "off"},
        reset=_no_reset,
    )
    sql = Sql(pool)
    async with pool.acquire() as conn:
        postgres = (await conn.fetchval("SHOW server_version")).split()[0]
    exit_code = 0
    with log_path.open("w") as log:
        server = Server(env, args.workers, log, args.port)
        print(
            f"Starting propgraph serve --workers {args.workers} on {server.base_url} "
            f"(log: {log_path})…",
            file=sys.stderr,
        )
        server.start()
        gateways = {c: Gateway(server.base_url, c, args.client) for c in CONCURRENCY}
        try:
            # Answers, warm-up and statements per request.
            report: dict[str, dict[str, Any]] = {}
            gw = gateways[max(CONCURRENCY)]
            for case in tqdm(cases, desc="checking answers", file=sys.stderr, leave=False):
                username, params = picked[case.key]
                token = tokens[case.key]
                body = await gw.answer(case, token, params)
                expected = await sql.answer(case, params)
                if body.get("errors") or body["_status"] != 200:
                    difference = f"the gateway answered HTTP {body['_status']} with errors {body.get('errors')}"
                else:
                    difference = compare(body["data"], expected)
                if difference and "QUERY_TOO_COMPLEX" in difference:
                    difference += (
                        " (over the role's operation limits: raise them for this server with"
                        ' --limits \'{"ROLE": {"cost": N}}\', which the results will state)'
                    )
                if difference:
                    exit_code = 1
                    print(f"MISMATCH in {case.key}: {difference}", file=sys.stderr)
                await drive(gw.sender(case, token, params), max(CONCURRENCY), args.warmup, 60)
                await drive(sql.sender(case, params), max(CONCURRENCY), args.warmup, 60)
                before = await gw.statements()
                for _ in range(args.statement_samples):
                    await gw.answer(case, token, params)
                after = await gw.statements()
                report[case.key] = {
                    "title": case.title,
                    "role": case.role,
                    "account": username,
                    "sql_parameters": list(params),
                    "equal": difference is None,
                    "difference": difference,
                    "graphql": case.graphql.strip(),
                    "sql": case.sql.strip(),
                    "figures": {(side, c): Figures() for side in SIDES for c in CONCURRENCY},
                    "statements_per_request": (after - before) / args.statement_samples,
                }

            cpu_before = (
                time.monotonic(),
                cpu_busy_seconds(),
                own_cpu_seconds(),
                server.cpu_seconds(),
                backend_cpu_seconds(database),
            )
            total = args.rounds * len(cases) * len(CONCURRENCY) * len(SIDES)
            progress = tqdm(total=total, desc="rounds", file=sys.stderr, unit="batch")
            for round_no in range(args.rounds):
                for case in cases:
                    _, params = picked[case.key]
                    for concurrency in CONCURRENCY:
                        sides = SIDES if round_no % 2 == 0 else tuple(reversed(SIDES))
                        for side in sides:
                            progress.set_postfix_str(
                                f"round {round_no + 1} {case.key} c={concurrency} {side}"
                            )
                            send = (
                                gateways[concurrency].sender(case, tokens[case.key], params)
                                if side == "gateway"
                                else sql.sender(case, params)
                            )
                            cpu0 = (server.cpu_seconds(), backend_cpu_seconds(database))
                            batch = await drive(send, concurrency, args.requests, args.seconds)
                            figures = report[case.key]["figures"][(side, concurrency)]
                            figures.add(batch)
                            if side == "gateway":
                                figures.python_cpu += server.cpu_seconds() - cpu0[0]
                            figures.postgres_cpu += backend_cpu_seconds(database) - cpu0[1]
                            progress.update()
            progress.close()
            peak_rss = server.peak_rss_mib()
            wall = time.monotonic() - cpu_before[0]
            machine_cores = (cpu_busy_seconds() - cpu_before[1]) / wall
            client_cores = (own_cpu_seconds() - cpu_before[2]) / wall
            gateway_cores = (server.cpu_seconds() - cpu_before[3]) / wall
            postgres_cores = (backend_cpu_seconds(database) - cpu_before[4]) / wall
            cpu_use = {
                "seconds": round(wall, 1),
                "machine_cores": round(machine_cores, 2),
                "client_cores": round(client_cores, 2),
                "gateway_cores": round(gateway_cores, 2),
                "postgres_cores": round(postgres_cores, 2),
                "other_cores": round(
                    max(machine_cores - client_cores - gateway_cores - postgres_cores, 0), 2
                ),
            }
        finally:
            for gateway in gateways.values():
                await gateway.close()
            server.stop()
            await pool.close()
        # Peak memory per request: a fresh server per case, so one request's
        # answers are all its workers ever held.
        for case in tqdm(cases, desc="peak RSS, one server per request", file=sys.stderr):
            _, params = picked[case.key]
            if args.skip_rss:
                report[case.key]["rss"] = {"error": "skipped (--skip-rss)"}
                continue
            try:
                report[case.key]["rss"] = await rss_for_case(
                    case, tokens[case.key], params, env, log, args
                )
            except RuntimeError as exc:  # the timed figures are kept; the table says why
                print(f"bench: peak RSS of {case.key} not measured: {exc}", file=sys.stderr)
                report[case.key]["rss"] = {"error": str(exc)}

    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "postgres": f"PostgreSQL {postgres}",
        "code": code,
        "dataset": {"database": database, **dataset},
        "settings": {
            "scale": args.scale,
            "workers": args.workers,
            "rounds": args.rounds,
            "requests": args.requests,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "concurrency": list(CONCURRENCY),
            "limits": args.limits,
            "outbox": "off (PROPGRAPH_OUTBOX_INTERVAL_SECONDS=0)",
            "client": (
                f"{CLIENTS[args.client]} (gateway), asyncpg pool of 8 (SQL), "
                "both in this process on uvloop"
            ),
        },
        "load_average": {"before": load_before, "after": os.getloadavg()[0]},
        "cpu_during_rounds": cpu_use,
        "peak_rss_mib_per_worker": {str(pid): round(v, 1) for pid, v in peak_rss.items()},
        "client_peak_rss_mib": round(own_peak_rss_mib(), 1),
        "cases": [],
    }
    for case in cases:
        entry = report[case.key]
        figures = entry.pop("figures")
        statements = entry.pop("statements_per_request")
        rss = entry.pop("rss")
        results["cases"].append(
            {
                "key": case.key,
                **entry,
                "gateway": {
                    "statements_per_request": round(statements, 2),
                    "peak_rss_mib_per_worker": rss,
                    **{f"c{c}": figures[("gateway", c)].summary() for c in CONCURRENCY},
                },
                "sql": {
                    "statements_per_request": 1,
                    **{f"c{c}": figures[("sql", c)].summary() for c in CONCURRENCY},
                },
            }
        )
    json_path = out_dir / f"bench-{args.scale}-{stamp}.json"
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    print()
    print(table(results))
    print()
    print(conditions(results))
    print(f"\nJSON: {json_path}")
    if exit_code:
        print("Some answers differ from the hand-written SQL (see the table).", file=sys.stderr)
    if any(c["gateway"][f"c{k}"]["errors"] for c in results["cases"] for k in CONCURRENCY):
        print("Some gateway requests failed during the runs (see the table).", file=sys.stderr)
        exit_code = 1
    return exit_code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="propgraph bench",
        description="The gateway as a real server against hand-written SQL through asyncpg.",
    )
    p.add_argument("--scale", choices=sorted(EXPECTED_UNITS), default="city")
    p.add_argument(
        "--postgres",
        default=os.environ.get("PROPGRAPH_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database (env PROPGRAPH_BENCH_POSTGRES)",
    )
    p.add_argument("--database", help="database name (default propgraph_bench_<scale>)")
    p.add_argument("--reseed", action="store_true", help="load the dataset again even if present")
    p.add_argument("--workers", type=int, default=2, help="propgraph serve --workers (default 2)")
    p.add_argument("--port", type=int, default=None, help="default: a free port")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--requests", type=int, default=100, help="at most this many per batch")
    p.add_argument("--seconds", type=float, default=10.0, help="at most this long per batch")
    p.add_argument("--warmup", type=int, default=20, help="requests per case before measuring")
    p.add_argument("--statement-samples", type=int, default=10)
    p.add_argument("--only", nargs="*", choices=[c.key for c in CASES], help="some cases only")
    p.add_argument(
        "--limits",
        default=None,
        help="PROPGRAPH_LIMITS for the server (JSON); reported with the results",
    )
    p.add_argument(
        "--skip-rss",
        action="store_true",
        help="no fresh server per request for its peak RSS (a quicker check)",
    )
    p.add_argument(
        "--client",
        choices=["lean", "aiohttp"],
        default="lean",
        help="the gateway's HTTP client: bench/lean_http.py (default) or aiohttp",
    )
    p.add_argument("--output-dir", default=str(ROOT / "bench" / "results"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    import uvloop  # as the server runs (uvicorn[standard]); both sides' clients share it

    return uvloop.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
