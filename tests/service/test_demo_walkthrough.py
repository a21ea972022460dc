"""The demo prints one project's chain, and README's subsidy walk-through works with exactly it.

The walk-through's GraphQL blocks are read from README.md and run in order, as
the account each step names, with its UPPER_CASE placeholders filled from the
earlier answers. The tiny dataset has no rounds, so the demo round is opened
first, as README says.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from propgraph.accounts import list_accounts
from propgraph.clock import CITY_TZ
from propgraph.datasets.demo import CHAIN_ROLES, demo_chain
from propgraph.datasets.workflow import DEMO_ROUND
from propgraph.models import Account, Project
from propgraph.playground import demo_accounts
from tests.support.app import running_app, token_for
from tests.support.subsidy import OPEN_ROUND, Clock

README = Path(__file__).parents[2] / "README.md"
STEP = re.compile(
    r"<!-- walkthrough:(?P<role>[A-Z]+) -->\s*```graphql\n(?P<query>.*?)```"
    r"(?:\s*```json\n(?P<variables>.*?)```)?",
    re.S,
)
TODAY = date(2026, 6, 1)


def walkthrough() -> list[tuple[str, str, str | None]]:
    text = README.read_text(encoding="utf-8")
    return [(m["role"], m["query"], m["variables"]) for m in STEP.finditer(text)]


def fill(variables: str | None, known: dict[str, Any]) -> dict[str, Any]:
    if variables is None:
        return {}
    placeholders = set(re.findall(r'"([A-Z_]+_ID|PROJECT_KIND|TODAY)"', variables))
    assert placeholders <= set(known), f"no value yet for {placeholders - set(known)}"
    for name in placeholders:
        variables = variables.replace(f'"{name}"', json.dumps(known[name]))
    return json.loads(variables)  # type: ignore[no-any-return]


async def test_the_printed_accounts_are_one_chain_and_the_walkthrough_works(
    fresh_tiny_url: str,
) -> None:
    steps = walkthrough()
    assert [role for role, _, _ in steps] == [
        "MANAGER",
        "ENTERPRISE",
        "MANAGER",
        "COMMUNITY",
        "COMMUNITY",
        "STREET",
        "DISTRICT",
        "DISTRICT",
        "DISTRICT",
        "MANAGER",
    ]
    clock = Clock(datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=CITY_TZ))
    async with running_app(fresh_tiny_url, clock=clock) as app:
        # given the demo round open (the small dataset's seed opens it; tiny has none)
        city = app.client("city_head")
        opened = await city.data(OPEN_ROUND, {"input": DEMO_ROUND})
        assert opened["openSubsidyRound"]["errors"] == []

        # when the demo picks its accounts
        chain = await demo_chain(app.services.engine, TODAY)
        offered = demo_accounts(
            await list_accounts(app.services.engine), token_for, first=chain.values()
        )
        printed = {
            role: next(e for e in offered if e["role"] == role)["username"] for role in CHAIN_ROLES
        }

        # then the printed ENTERPRISE … DISTRICT are the chain of one project
        assert printed == chain
        async with app.services.engine.connect() as conn:
            accounts = {
                a.role: a
                for a in (
                    await conn.execute(select(Account).where(Account.username.in_(chain.values())))
                ).all()
            }
            project = (
                await conn.execute(
                    select(Project).where(Project.id == accounts["MANAGER"].project_id)
                )
            ).one()
        assert accounts["ENTERPRISE"].enterprise_id == project.enterprise_id
        assert accounts["COMMUNITY"].community_id == project.community_id
        assert accounts["STREET"].street_id == project.street_id
        assert accounts["DISTRICT"].district_id == project.district_id

        # and README's walk-through succeeds, step by step, as those accounts
        known: dict[str, Any] = {"TODAY": TODAY.isoformat()}
        answers = []
        for role, query, variables in steps:
            data = await app.client(chain[role]).data(query, fill(variables, known))
            payload = next(iter(data.values()))
            if isinstance(payload, dict) and "errors" in payload:
                assert payload["errors"] == [], (role, query, payload["errors"])
            answers.append(data)
            if "subsidyRounds" in data:
                known["PROJECT_ID"] = data["me"]["scope"]["id"]
                known["PROJECT_KIND"] = data["me"]["scope"]["kind"]
                (open_round,) = [
                    r
                    for r in data["subsidyRounds"]
                    if r["opensOn"] <= known["TODAY"] <= r["closesOn"]
                ]
                known["ROUND_ID"] = open_round["id"]
            if "createSubsidyApplication" in data:
                known["APPLICATION_ID"] = payload["application"]["id"]
            if "reportSubsidyBatch" in data:
                known["BATCH_ID"] = payload["batch"]["id"]
        # the community saw its to-do; the application ends paid, each step on its timeline
        todos = answers[3]["todos"]
        assert any(e["node"]["subject"]["id"] == known["APPLICATION_ID"] for e in todos["edges"])
        final = answers[-1]["node"]
        assert final["status"] == "PAID"
        assert final["amount"] > 0
        assert [t["toStatus"] for t in final["timeline"]][-6:] == [
            "SUBMITTED",
            "COMMUNITY_APPROVED",
            "STREET_APPROVED",
            "DISTRICT_APPROVED",
            "REPORTED",
            "PAID",
        ]

        # and the next demo run prints the next project's chain: this one has applied
        assert (await demo_chain(app.services.engine, TODAY))["MANAGER"] != chain["MANAGER"]
