"""Property-based fuzzing of every role's own schema (issue 7, item 5).

hypothesis-graphql writes valid queries and mutations from the schema each
role is served; they are sent as one account of every role and anonymously.
Whatever they ask, the answer is never a server error, never ``Internal
error.``, never a traceback, and holds no graph node outside the caller's
scope (checked against the independent oracle of tests/support/world.py).

Queries run against the shared read-only ``tiny`` app. Mutations run
against a private copy of the tiny dataset (made once for this module)
with the clock inside the subsidy round's window, so they can succeed and
change data; they never change the graph the oracle reads.

Bounded: a fixed number of examples per role (``derandomize=True``, so CI
sees the same ones every run) and a time budget for the whole file;
examples past the budget are not sent. ``PROPGRAPH_FUZZ_SCALE=N`` runs N
times as many, for a longer hunt by hand.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries
from sqlalchemy import select

from propgraph.clock import local_date, system_clock
from propgraph.models import Evidence as EvidenceRow
from propgraph.models import Notification, SubsidyApplication, SubsidyBatch, SubsidyRound, Todo
from propgraph.schema.relay import MAX_OFFSET, encode_cursor, from_global_id, to_global_id
from tests.security.client import ACCOUNTS, post_escaped
from tests.support.app import RunningApp, running_app
from tests.support.databases import TestDatabases
from tests.support.subsidy import Flow, cast_for, in_window_clock
from tests.support.world import GRAPH_TYPES, World, load_world

ROLES = [*ACCOUNTS, "PUBLIC"]
MUTATING_ROLES = list(ACCOUNTS)  # every account may at least mark its notifications read
# PROPGRAPH_FUZZ_SCALE=20 runs twenty times the examples and budget, by hand.
SCALE = float(os.environ.get("PROPGRAPH_FUZZ_SCALE", "1"))
QUERY_EXAMPLES = int(30 * SCALE)
MUTATION_EXAMPLES = int(20 * SCALE)
BUDGET_SECONDS = 45.0 * SCALE  # the whole file, per database
REQUEST_SECONDS = 10.0  # one request; longer is a failure, not a wait
FUZZ_SETTINGS = settings(
    max_examples=QUERY_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TRACEBACK = re.compile(r'Traceback|File "')

WORKFLOW_ROWS = {
    "SubsidyRound": SubsidyRound,
    "SubsidyApplication": SubsidyApplication,
    "SubsidyBatch": SubsidyBatch,
    "Evidence": EvidenceRow,
    "Todo": Todo,
    "Notification": Notification,
}


class Budget:
    """The file's time budget, shared by every test in it.

    Past it, new examples are drawn but not sent. Once one has failed, every
    example is sent again, so that Hypothesis can reproduce and shrink it.
    """

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.failed = False

    def allows(self) -> bool:
        return self.failed or time.monotonic() < self.ends


async def ids_in(app: RunningApp, world: World) -> list[str]:
    """Every global id in the app's database, in and out of any one scope."""
    found = sorted(world.all_ids())
    async with app.services.engine.connect() as conn:
        for type_name, model in WORKFLOW_ROWS.items():
            keys = (await conn.execute(select(model.id).order_by(model.id))).scalars()
            found.extend(to_global_id(type_name, pk) for pk in keys)
    return found


@dataclass
class Target:
    """An app to fuzz, the ids its database holds, and the oracle of who sees what."""

    app: RunningApp
    ids: list[str]
    world: World
    today: date  # the app's own day: a delegation is visible only while it runs


# Filled once per module by ``targets``. The @given tests read it instead of
# taking async fixtures as arguments: with an async fixture among its
# arguments, a failing example could not be shrunk (pytest-asyncio 1.5,
# hypothesis 6.170: FlakyStrategyDefinition instead of the failure itself).
TARGETS: dict[str, Target] = {}
BUDGET: list[Budget] = []


@pytest.fixture(scope="module", autouse=True)
async def targets(
    tiny: RunningApp, tiny_db_url: str, databases: TestDatabases, tiny_template_url: str
) -> AsyncIterator[None]:
    world = await load_world(tiny_db_url)
    today = local_date(system_clock())
    TARGETS["query"] = Target(tiny, await ids_in(tiny, world), world, today)
    # Mutations change data: a private tiny dataset, the clock inside the
    # round's window, with applications at several stages (tiny has none).
    url = await databases.copy(tiny_template_url)
    clock = in_window_clock()
    async with running_app(url, clock=clock) as mutable:
        flow = Flow(mutable, await cast_for(mutable))
        for status in ("DRAFT", "SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED"):
            await flow.to_status(await flow.open_round(), status)
        ids = await ids_in(mutable, world)
        TARGETS["mutation"] = Target(mutable, ids, world, local_date(clock()))
        BUDGET.append(Budget(BUDGET_SECONDS))
        yield
    TARGETS.clear()
    BUDGET.clear()


def visible_ids(target: Target, role: str) -> set[str]:
    rows = target.world.rows
    if role == "PUBLIC":  # the project and enterprise directories
        return {to_global_id(t, pk) for t in ("Project", "Enterprise") for pk in rows[t]}
    (account,) = [a for a in target.world.accounts if a.username == ACCOUNTS[role]]
    return target.world.visible(account, target.today)


def scalars(known_ids: list[str]) -> dict[str, st.SearchStrategy[Any]]:
    """Values worth trying: real ids of every scope, impossible ones, odd text."""
    texts = st.one_of(
        st.text(max_size=12),
        st.sampled_from(["", " ", "%", "_", "\\", "\x00", "\ud800", "a" * 201, "物" * 5000]),
        st.integers(0, 60).map(encode_cursor),
        st.sampled_from([encode_cursor(MAX_OFFSET), encode_cursor(MAX_OFFSET + 1)]),
    )
    impossible = [to_global_id("Project", 2**31), to_global_id("Unit", 10**20), "Project:1"]
    graph = [gid for gid in known_ids if from_global_id(gid)[0] in GRAPH_TYPES]  # type: ignore[index]
    workflow = [gid for gid in known_ids if gid not in graph] or graph
    ids = st.one_of(
        st.sampled_from(workflow),
        st.sampled_from(graph),
        st.sampled_from(impossible),
        st.text(max_size=8),
    )
    # small numbers are versions, months and page sizes that exist
    ints = st.one_of(st.integers(0, 5), st.integers(-(2**31), 2**31 - 1))
    days = st.one_of(
        st.dates(date(2019, 1, 1), date(2021, 12, 31)).map(str),
        st.sampled_from(["2020-02-30", "20200101", "0000-01-01", "9999-12-31", "tomorrow"]),
    )
    return {
        "String": texts.map(nodes.String),
        "Int": ints.map(nodes.Int),
        "ID": ids.map(nodes.String),
        "Date": days.map(nodes.String),
        "DateTime": st.just("2020-02-20T10:00:00+08:00").map(nodes.String),
        "Decimal": st.sampled_from(["0.5", "1e400", "NaN"]).map(nodes.String),
        "Upload": st.just(nodes.String("not a file")),
    }


_strategies: dict[tuple[str, str], st.SearchStrategy[str]] = {}


def documents(
    app: RunningApp, role: str, kind: str, known_ids: list[str]
) -> st.SearchStrategy[str]:
    """Queries or mutations of the role's schema, built once per role and kind.

    Each example aims at one root field, drawn evenly, so that every field
    gets its share of a small number of examples.
    """
    key = (role, kind)
    if key not in _strategies:
        schema = app.services.schemas[role]._schema
        root = schema.query_type if kind == "query" else schema.mutation_type
        assert root is not None, f"{role} has no {kind} type"
        make = queries if kind == "query" else mutations
        custom = scalars(known_ids)
        by_field = {
            name: make(schema, fields=[name], custom_scalars=custom) for name in root.fields
        }
        _strategies[key] = st.sampled_from(sorted(by_field)).flatmap(by_field.__getitem__)
    return _strategies[key]


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


async def assert_answered_safely(
    app: RunningApp, role: str, document: str, visible: set[str]
) -> None:
    client = app.client(None if role == "PUBLIC" else ACCOUNTS[role])
    asked = f"{role} sent:\n{document}\n"
    try:
        response = await asyncio.wait_for(post_escaped(client, document), REQUEST_SECONDS)
    except TimeoutError:
        pytest.fail(f"{asked}no answer in {REQUEST_SECONDS} s")
    assert response.status_code < 500, f"{asked}HTTP {response.status_code}"
    assert not TRACEBACK.search(response.text), f"{asked}a traceback: {response.text[:2000]}"
    body = response.json()
    errors = body.get("errors") or []
    assert "Internal error." not in [e.get("message") for e in errors], f"{asked}{errors}"
    for text in strings_in(body.get("data")):
        decoded = from_global_id(text)
        if decoded and decoded[0] in GRAPH_TYPES and to_global_id(*decoded) == text:
            assert text in visible, f"{asked}{decoded} is outside the scope"


async def fuzz(kind: str, role: str, data: st.DataObject) -> None:
    target = TARGETS[kind]
    # given a valid document written from the role's own schema
    document = data.draw(documents(target.app, role, kind, target.ids), label=kind)
    if not BUDGET[0].allows():
        return
    # when the role's account sends it, then the answer is typed and in scope
    try:
        await assert_answered_safely(target.app, role, document, visible_ids(target, role))
    except BaseException:
        BUDGET[0].failed = True
        raise


@pytest.mark.parametrize("role", ROLES)
@FUZZ_SETTINGS
@given(data=st.data())
async def test_any_query_is_answered_without_internal_errors_or_foreign_rows(
    role: str, data: st.DataObject
) -> None:
    await fuzz("query", role, data)


@pytest.mark.parametrize("role", MUTATING_ROLES)
@settings(FUZZ_SETTINGS, max_examples=MUTATION_EXAMPLES)
@given(data=st.data())
async def test_any_mutation_is_answered_without_internal_errors_or_foreign_rows(
    role: str, data: st.DataObject
) -> None:
    await fuzz("mutation", role, data)
