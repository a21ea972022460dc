"""Mixed traffic against a served gateway: readers, and lanes walking subsidy applications.

A lane is one project in one round: its application is created, submitted,
reviewed by the three offices (now and then rejected once and resubmitted),
reported in a batch and marked paid, one mutation at a time, each as the
account that takes that step in the demo. Some reviews are sent twice at
once: exactly one may win, the other must be a typed refusal. Every answer is
written to a ``Ledger``: what was acknowledged, what was refused, what got no
answer at all (the server was killed), and anything else as an error.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.clock import CITY_TZ
from propgraph.models import Account, Project, SubsidyApplication
from propgraph.schema.relay import from_global_id, to_global_id
from tests.support.app import token_for
from tests.support.queries import drill_down
from tests.support.subsidy import CREATE, OPEN_ROUND, PAID, REPORT, REVIEW, SUBMIT

READS = {
    # name: (role of the reader, query)
    # The dashboard's drill-down, a few nodes per level down to the owners.
    "drill-down": ("CITY", drill_down(first=2, districts=1)),
    "street dashboard": (
        "STREET",
        "{ communities(first: 50) { edges { node { name stats { projects units floorArea owners } "
        "projects(first: 50) { edges { node { name stats { buildings units floorArea } } } } } } } }",
    ),
    "unit page": (
        "OWNER",
        "{ me { scope { ... on Owner { name units { number floorArea building { name "
        "project { name region { districtName } } } } } } } }",
    ),
    "to-dos": (
        "COMMUNITY",
        "{ todos(first: 20) { totalCount edges { node { id kind status title } } } }",
    ),
}
REVIEWER = {"SUBMITTED": "community", "COMMUNITY_APPROVED": "street", "STREET_APPROVED": "district"}
EXPECTED_IN_A_RACE = {"CONFLICT", "INVALID_STATE"}
BACK_PRESSURE_RETRIES = 5


@dataclass
class Cast:
    project_pk: int
    enterprise: str
    manager: str
    manager_phone: str
    community: str
    street: str
    district: str


@dataclass
class Lane:
    round_id: str
    cast: Cast
    app: dict[str, Any] | None = None  # id, version, status as last acknowledged
    batch_id: str | None = None
    rejected: bool = False
    cut_off: bool = False  # a request got no answer: resume from the database
    intended: str = "?"  # the status the request in flight asks for

    @property
    def done(self) -> bool:
        return self.app is not None and self.app["status"] == "PAID"


@dataclass
class Ledger:
    acked: dict[str, list[str]] = field(default_factory=dict)  # application id → statuses
    unanswered: list[tuple[str, str]] = field(default_factory=list)  # (lane, intended status)
    refusals: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    reads: Counter[str] = field(default_factory=Counter)
    writes: int = 0

    def ack(self, app_id: str, status: str) -> None:
        self.acked.setdefault(app_id, []).append(status)
        self.writes += 1


class Cutoff(Exception):
    """The server gave no answer (it was killed)."""


class Traffic:
    def __init__(
        self,
        base_url: str,
        lanes: list[Lane],
        readers: dict[str, str],
        seed: int,
        ledger: Ledger | None = None,
    ) -> None:
        self.base_url = base_url
        self.lanes = lanes
        self.readers = readers  # role → username
        self.rng = random.Random(seed)
        self.ledger = ledger or Ledger()
        self.tokens: dict[str, str] = {}
        self.latencies: list[float] = []
        self.http = httpx.AsyncClient(
            base_url=base_url, timeout=30, limits=httpx.Limits(max_connections=64)
        )

    async def close(self) -> None:
        await self.http.aclose()

    async def _post(self, username: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The answer's body; back-pressure (503 with Retry-After, 429) is waited out."""
        token = self.tokens.get(username) or self.tokens.setdefault(username, token_for(username))
        for _ in range(BACK_PRESSURE_RETRIES):
            started = time.monotonic()
            try:
                response = await self.http.post(
                    "/graphql",
                    json={"query": query, "variables": variables},
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.TransportError as exc:
                raise Cutoff(repr(exc)) from exc
            self.latencies.append(time.monotonic() - started)
            if response.status_code not in (429, 503) or "Retry-After" not in response.headers:
                break
            # Refused before any work (no connection free, too many in flight): a typed
            # refusal a client is told to retry; counted apart from the errors.
            self.ledger.refusals[f"HTTP {response.status_code}"] += 1
            await asyncio.sleep(min(1.0, float(response.headers["Retry-After"])))
        if response.status_code != 200:
            return {"errors": [{"message": f"HTTP {response.status_code}: {response.text[:200]}"}]}
        return response.json()

    # --- readers -----------------------------------------------------------------------

    async def read(self, name: str) -> None:
        role, query = READS[name]
        body = await self._post(self.readers[role], query, {})
        if body.get("errors") or not body.get("data"):
            self.ledger.errors.append(f"{name}: {body.get('errors')}")
        else:
            self.ledger.reads[name] += 1

    # --- writers -----------------------------------------------------------------------

    async def _mutate(self, username: str, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        body = await self._post(username, mutation, {"input": input})
        if body.get("errors"):
            return {"errors": [{"code": "TOP_LEVEL", "message": str(body["errors"])}]}
        return next(iter(body["data"].values()))

    def _accept(self, lane: Lane, payload: dict[str, Any], status: str) -> None:
        if payload["errors"]:
            self.ledger.errors.append(f"{status} refused: {payload['errors']}")
            return
        app = payload["application"]
        assert app["status"] == status, (app, status)
        lane.app = {"id": app["id"], "version": app["version"], "status": status}
        self.ledger.ack(app["id"], status)

    async def step(self, lane: Lane) -> None:
        """The lane's next mutation; ``Cutoff`` when it got no answer."""
        cast, app = lane.cast, lane.app
        status = app["status"] if app else None
        lane.intended = "?"
        try:
            if status is None:
                lane.intended = "DRAFT"
                payload = await self._mutate(
                    cast.enterprise,
                    CREATE,
                    {
                        "roundId": lane.round_id,
                        "projectId": to_global_id("Project", cast.project_pk),
                        "managerName": "李明",
                        "managerPhone": cast.manager_phone,
                        "propertyType": "RESIDENTIAL",
                    },
                )
                self._accept(lane, payload, "DRAFT")
            elif status in ("DRAFT", "RETURNED"):
                lane.intended = "SUBMITTED"
                input = {"id": app["id"], "version": app["version"], "acceptPledge": True}
                self._accept(lane, await self._mutate(cast.manager, SUBMIT, input), "SUBMITTED")
            elif status in REVIEWER:
                await self._review(lane, app, status)
            elif status == "DISTRICT_APPROVED":
                lane.intended = "REPORTED"
                payload = await self._mutate(
                    cast.district, REPORT, {"roundId": lane.round_id, "applicationIds": [app["id"]]}
                )
                if payload["errors"]:
                    self.ledger.errors.append(f"report refused: {payload['errors']}")
                    return
                lane.batch_id = payload["batch"]["id"]
                lane.app = {**app, "version": app["version"] + 1, "status": "REPORTED"}
                self.ledger.ack(app["id"], "REPORTED")
            elif status == "REPORTED":
                lane.intended = "PAID"
                today = datetime.now(CITY_TZ).date().isoformat()
                payload = await self._mutate(
                    cast.district, PAID, {"batchId": lane.batch_id, "paidOn": today}
                )
                if payload["errors"]:
                    self.ledger.errors.append(f"paid refused: {payload['errors']}")
                    return
                lane.app = {**app, "version": app["version"] + 1, "status": "PAID"}
                self.ledger.ack(app["id"], "PAID")
        except Cutoff:
            lane.cut_off = True
            key = app["id"] if app else f"new {lane.round_id}/{cast.project_pk}"
            self.ledger.unanswered.append((key, lane.intended))
            raise

    async def _review(self, lane: Lane, app: dict[str, Any], status: str) -> None:
        reviewer = getattr(lane.cast, REVIEWER[status])
        reject = status == "SUBMITTED" and not lane.rejected and self.rng.random() < 0.15
        input: dict[str, Any] = {"id": app["id"], "version": app["version"]}
        if reject:
            input.update(decision="REJECT", comment="面积与备案不符，请补充材料。")
            to_status = "RETURNED"
            lane.rejected = True
        else:
            input.update(decision="APPROVE", confirmArea=True)
            to_status = {"SUBMITTED": "COMMUNITY_APPROVED", "COMMUNITY_APPROVED": "STREET_APPROVED"}
            to_status = to_status.get(status, "DISTRICT_APPROVED")
        twice = self.rng.random() < 0.25  # the same review sent twice at once
        attempts = 2 if twice else 1
        lane.intended = to_status
        payloads = await asyncio.gather(
            *(self._mutate(reviewer, REVIEW, input) for _ in range(attempts))
        )
        won = [p for p in payloads if not p["errors"]]
        lost = [p for p in payloads if p["errors"]]
        if len(won) != 1:
            self.ledger.errors.append(f"{len(won)} of {attempts} same reviews won: {payloads}")
        for payload in lost:
            code = payload["errors"][0].get("code")
            if twice and code in EXPECTED_IN_A_RACE:
                self.ledger.refusals[code] += 1
            else:
                self.ledger.errors.append(f"review refused: {payload['errors']}")
        if won:
            self._accept(lane, won[0], to_status)

    # --- the whole run -----------------------------------------------------------------

    async def run(
        self,
        concurrency: int,
        seconds: float,
        max_requests: int,
        stop: asyncio.Event | None = None,
    ) -> None:
        """Up to half the tasks walk lanes, the rest read, until every lane is paid (or cut off),
        ``seconds`` pass, ``max_requests`` are sent, or ``stop`` is set."""
        stop = stop or asyncio.Event()
        deadline = time.monotonic() + seconds
        ready: asyncio.Queue[Lane] = asyncio.Queue()
        for lane in self.lanes:
            if not lane.done and not lane.cut_off:
                ready.put_nowait(lane)
        sent = [0]
        writers = min(concurrency // 2, ready.qsize())
        writers_left = [writers]

        def over() -> bool:
            return stop.is_set() or time.monotonic() > deadline or sent[0] >= max_requests

        async def writer() -> None:
            try:
                while not over():
                    try:
                        lane = ready.get_nowait()
                    except asyncio.QueueEmpty:
                        return
                    sent[0] += 1
                    errors = len(self.ledger.errors)
                    try:
                        await self.step(lane)
                    except Cutoff:
                        continue
                    if not lane.done and len(self.ledger.errors) == errors:
                        ready.put_nowait(lane)  # a lane that failed stops: the error is reported
            finally:
                writers_left[0] -= 1

        async def reader(index: int) -> None:
            names = list(READS)
            while not over() and writers_left[0] > 0:
                sent[0] += 1
                try:
                    await self.read(names[(index + sent[0]) % len(names)])
                except Cutoff:
                    if not stop.is_set():
                        self.ledger.errors.append("a read got no answer")
                    return

        await asyncio.gather(
            *(writer() for _ in range(writers)),
            *(reader(i) for i in range(concurrency - writers)),
        )


async def casts(engine: AsyncEngine) -> list[Cast]:
    """For every project, the accounts that take each step of its application."""
    async with engine.connect() as conn:
        accounts = (
            await conn.execute(
                select(Account).where(Account.disabled.is_(False)).order_by(Account.id)
            )
        ).all()
        projects = (await conn.execute(select(Project).order_by(Project.id))).all()

    def first(role: str, column: str, value: int) -> Any:
        return next(a for a in accounts if a.role == role and getattr(a, column) == value)

    found = []
    for project in projects:
        manager = first("MANAGER", "project_id", project.id)
        found.append(
            Cast(
                project_pk=project.id,
                enterprise=first("ENTERPRISE", "enterprise_id", project.enterprise_id).username,
                manager=manager.username,
                manager_phone=manager.phone,
                community=first("COMMUNITY", "community_id", project.community_id).username,
                street=first("STREET", "street_id", project.street_id).username,
                district=first("DISTRICT", "district_id", project.district_id).username,
            )
        )
    return found


async def readers(engine: AsyncEngine) -> dict[str, str]:
    """One account per reading role."""
    found = {}
    async with engine.connect() as conn:
        for role, _ in READS.values():
            found[role] = await conn.scalar(
                select(Account.username)
                .where(Account.role == role, Account.disabled.is_(False))
                .order_by(Account.id)
                .limit(1)
            )
    return found


async def open_rounds(base_url: str, city: str, count: int, tag: str) -> list[str]:
    """``count`` rounds open today, opened through the API by the city."""
    ids = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        for index in range(count):
            response = await http.post(
                "/graphql",
                json={
                    "query": OPEN_ROUND,
                    "variables": {
                        "input": {
                            "name": f"压力测试轮次 {tag}-{index}",
                            "ratePerSqmMonth": 0.5,
                            "months": 2,
                            "opensOn": "2026-01-01",
                            "closesOn": "2030-12-31",
                        }
                    },
                },
                headers={"Authorization": f"Bearer {token_for(city)}"},
            )
            payload = response.json()["data"]["openSubsidyRound"]
            assert payload["errors"] == [], payload
            ids.append(payload["round"]["id"])
    return ids


async def resume(engine: AsyncEngine, lanes: list[Lane], ledger: Ledger) -> None:
    """Lanes cut off by a crash pick up whatever the database holds; a step that
    committed without an answer goes into the ledger as what it became."""
    async with engine.connect() as conn:
        for lane in lanes:
            if not lane.cut_off:
                continue
            lane.cut_off = False
            ref = from_global_id(lane.round_id)
            assert ref is not None
            row = (
                await conn.execute(
                    select(
                        SubsidyApplication.id,
                        SubsidyApplication.version,
                        SubsidyApplication.status,
                        SubsidyApplication.batch_id,
                    ).where(
                        SubsidyApplication.round_id == ref[1],
                        SubsidyApplication.project_id == lane.cast.project_pk,
                    )
                )
            ).one_or_none()
            if row is None:
                lane.app = None
                continue
            status = str(getattr(row.status, "value", row.status))
            app_id = to_global_id("SubsidyApplication", row.id)
            if lane.app is None or lane.app["status"] != status:
                ledger.acked.setdefault(app_id, []).append(status)
            lane.app = {"id": app_id, "version": row.version, "status": status}
            if row.batch_id is not None:
                lane.batch_id = to_global_id("SubsidyBatch", row.batch_id)


def percentiles(latencies: list[float]) -> str:
    ordered = sorted(latencies) or [0.0]
    p50, p95 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)]
    return f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
