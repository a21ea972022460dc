"""The drill-down rollups stay equal to a recount after every write through the API (issue 8.3).

No mutation today changes what ``node_stats`` counts (projects, buildings,
units, floor area, owners): the subsidy, evaluation and notification
mutations write their own tables only. This walks a random sequence of those
writes, over several projects in both districts, and recounts after each step
(tender filings are not in the walk yet);
the owners' and maintenance-fund mutations, when they come, call the same
``assert_rollups_exact``.
"""

from __future__ import annotations

import os
import random
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, update

from propgraph.models import Unit
from propgraph.resolvers.graph.rollups import refresh_node_stats
from tests.support.office import people_around
from tests.support.rollups import assert_rollups_exact
from tests.support.subsidy import (
    DELETE,
    PAID,
    REPORT,
    UPDATE,
    Cast,
    Flow,
    cast_for,
)
from tests.workflows.conftest import Subsidy

# PROPGRAPH_ROLLUP_SEED=N replays one walk; each run otherwise tries a new one.
SEED = int(os.environ.get("PROPGRAPH_ROLLUP_SEED", random.randrange(1 << 30)))
STEPS = 40
PROJECTS = (1, 2, 7, 13, 14, 24)  # two communities of each district, tiny scale
UNREAD = "{ me { notifications(first: 5) { edges { node { id readAt } } } } }"
MARK_READ = """mutation($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) {
  notification { id readAt } errors { code message } } }"""
SCORE = """mutation($input: ScoreProjectInput!) { scoreProject(input: $input) {
  evaluation { id version status } errors { code field message } } }"""
APPROVE_EVALUATION = """mutation($input: ApproveEvaluationInput!) { approveEvaluation(input: $input) {
  evaluation { id version status } errors { code field message } } }"""
SUBSIDY_DAY, EVALUATION_DAY = date(2020, 2, 20), date(2026, 6, 10)  # inside each one's window
REVIEWER = {"SUBMITTED": "community", "COMMUNITY_APPROVED": "street", "STREET_APPROVED": "district"}


class Walk:
    """Random API writes over several projects; each step is one mutation."""

    def __init__(
        self,
        subsidy: Subsidy,
        casts: list[Cast],
        people: dict[int, dict[str, str]],
        round_id: str,
        rng: random.Random,
    ):
        self.subsidy = subsidy
        self.people = people  # project → "community:CLERK", "street:CLERK", … (support/office)
        self.evaluations: dict[int, dict[str, Any]] = {}
        self.flows = [Flow(subsidy.app, cast) for cast in casts]
        self.round_id = round_id
        self.rng = rng
        self.apps: dict[int, dict[str, Any] | None] = {cast.project_pk: None for cast in casts}
        self.batches: list[tuple[str, str]] = []  # (district account, batch id), unpaid
        self.log: list[str] = []

    def _choices(self) -> list[tuple[str, Flow]]:
        options: list[tuple[str, Flow]] = []
        for flow in self.flows:
            app = self.apps[flow.cast.project_pk]
            status = app["status"] if app else None
            if status is None:
                options.append(("create", flow))
            elif status == "DRAFT":
                options += [("update", flow), ("delete", flow), ("submit", flow)]
            elif status == "RETURNED":
                options.append(("submit", flow))
            elif status in REVIEWER:
                options += [("approve", flow), ("approve", flow), ("reject", flow)]
            elif status == "DISTRICT_APPROVED":
                options.append(("report", flow))
            if app is not None:
                options.append(("upload", flow))
            options.append(("read", flow))
            options.append(("score", flow))
            if flow.cast.project_pk in self.evaluations:
                options.append(("approve evaluation", flow))
        options += [("paid", self.flows[0])] * len(self.batches)
        return options

    async def step(self) -> None:
        action, flow = self.rng.choice(self._choices())
        cast, pk = flow.cast, flow.cast.project_pk
        app = self.apps[pk]
        extra: dict[str, Any] = {}
        self.log.append(f"{action} {pk} {app and app['status']}")
        office = action in ("score", "approve evaluation")
        self.subsidy.clock.set_local(EVALUATION_DAY if office else SUBSIDY_DAY)
        if office:
            await self._evaluate(action, flow)
        elif action == "create":
            self.apps[pk] = await flow.create(self.round_id)
        elif action == "update":
            area = round(cast.recorded_area * self.rng.uniform(0.9, 1.0), 2)
            payload = await flow.ok(
                cast.enterprise, UPDATE, {"id": app["id"], "version": app["version"], "area": area}
            )
            self.apps[pk] = payload["application"]
        elif action == "delete":
            await flow.ok(cast.enterprise, DELETE, {"id": app["id"], "version": app["version"]})
            self.apps[pk] = None
        elif action == "submit":
            if app["areaChanged"]:  # a changed area is submitted with evidence
                evidence = (await flow.upload(cast.manager, app["id"]))["evidence"]
                extra["evidenceIds"] = [evidence["id"]]
            self.apps[pk] = await flow.submit(app, **extra)
        elif action in ("approve", "reject"):
            reviewer = getattr(cast, REVIEWER[app["status"]])[0]
            extra = {"confirmArea": True}
            if action == "reject":
                extra = {"comment": "面积与备案不符。"}
            self.apps[pk] = await flow.review(
                reviewer, app, "APPROVE" if action == "approve" else "REJECT", **extra
            )
        elif action == "report":
            payload = await flow.ok(
                cast.district[0], REPORT, {"roundId": self.round_id, "applicationIds": [app["id"]]}
            )
            self.batches.append((cast.district[0], payload["batch"]["id"]))
            self.apps[pk] = {**app, "status": "REPORTED"}
        elif action == "paid":
            district, batch_id = self.batches.pop(self.rng.randrange(len(self.batches)))
            await flow.ok(district, PAID, {"batchId": batch_id, "paidOn": "2020-02-20"})
        elif action == "upload":
            await flow.upload(cast.manager, app["id"])  # a refusal for its status is data too
        elif action == "read":
            username = self.rng.choice([cast.manager, cast.enterprise, cast.community[0]])
            client = self.subsidy.app.client(username)
            edges = (await client.data(UNREAD))["me"]["notifications"]["edges"]
            if edges:
                await client.data(
                    MARK_READ, {"input": {"id": self.rng.choice(edges)["node"]["id"]}}
                )

    async def _evaluate(self, action: str, flow: Flow) -> None:
        """The half-year evaluation; a refusal (approved already, …) is data too."""
        pk, people = flow.cast.project_pk, self.people[flow.cast.project_pk]
        if action == "score":
            input = {
                "projectId": flow.cast.project_id,
                "year": 2026,
                "half": "H1",
                "score": self.rng.choice([70, 85.5, 99]),
            }
            payload = await flow.call(people["community:CLERK"], SCORE, input)
        else:
            evaluation = self.evaluations[pk]
            input = {"id": evaluation["id"], "version": evaluation["version"], "comment": "核实"}
            payload = await flow.call(people["street:CLERK"], APPROVE_EVALUATION, input)
        if payload["evaluation"] is not None:
            self.evaluations[pk] = payload["evaluation"]


async def test_rollups_equal_a_recount_after_every_write(subsidy: Subsidy) -> None:
    # given several projects' casts, an open round, and exact rollups
    rng = random.Random(SEED)
    casts = [await cast_for(subsidy.app, pk) for pk in PROJECTS]
    people = {pk: await people_around(subsidy.app, pk) for pk in PROJECTS}
    walk = Walk(subsidy, casts, people, await subsidy.flow.open_round(), rng)
    engine = subsidy.app.services.engine
    await assert_rollups_exact(engine)
    for _ in range(STEPS):
        # when any write the API has is made
        await walk.step()
        # then the rollups still equal a recount
        try:
            await assert_rollups_exact(engine)
        except AssertionError as exc:
            raise AssertionError(f"seed {SEED}, after {walk.log}: {exc}") from None
    assert len({entry.split()[0] for entry in walk.log}) >= 6, walk.log  # a varied walk
    assert walk.evaluations, walk.log


async def test_the_comparison_notices_a_change_the_rollups_missed(subsidy: Subsidy) -> None:
    engine = subsidy.app.services.engine
    await assert_rollups_exact(engine)
    # when a unit's floor area changes behind the rollups' back
    async with engine.begin() as conn:
        unit_id = await conn.scalar(select(Unit.id).order_by(Unit.id).limit(1))
        await conn.execute(
            update(Unit).where(Unit.id == unit_id).values(floor_area=Unit.floor_area + 1)
        )
    # then the comparison fails, naming the stale nodes, until the rollups are refreshed
    with pytest.raises(AssertionError, match=r"^4 rollups differ:.*district 1:.*project 1:"):
        await assert_rollups_exact(engine)
    async with engine.begin() as conn:
        await refresh_node_stats(conn)
    await assert_rollups_exact(engine)
