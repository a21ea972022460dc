"""evaluationFigures and tenderFigures: per node and over the scope, against an oracle.

The demo's office history (datasets/office.py) is seeded into a private tiny
copy; every account of every role asks for its root figures and those of
each district, street and community it sees, and the answers are compared
with figures counted here in Python from the tables. Roles that see no
evaluations (or no filings) have no such field at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from propgraph.models import Account, Evaluation, Project, TenderFiling
from propgraph.schema.relay import from_global_id, to_global_id
from propgraph.workflows import evaluation, workdays
from tests.support.app import RunningApp, running_app
from tests.support.databases import TestDatabases
from tests.support.office import local, office_history_copy

TODAY = date(2026, 11, 20)  # 2025 final; 2026 H1 closed, H2 not yet open
YEARS = (2024, 2025, 2026)
EVALUATION_FIELDS = """year projects annualProjects meanAnnual
  h1 { half scored approved defaulted final meanScore }
  h2 { half scored approved defaulted final meanScore }"""
TENDER_FIELDS = "filings byStatus { status filings } byTimeliness { timeliness filings }"
FIGURES = f"""y2024: evaluationFigures(year: 2024) {{ {EVALUATION_FIELDS} }}
  y2025: evaluationFigures(year: 2025) {{ {EVALUATION_FIELDS} }}
  y2026: evaluationFigures(year: 2026) {{ {EVALUATION_FIELDS} }}
  tenderFigures {{ {TENDER_FIELDS} }}"""
LIST = "{ LIST(first: 200) { edges { node { id FIGURES } } } }"
# the drill-down lists each office role has (nothing above its own node)
LISTS = {
    "CITY": ("districts", "streets", "communities"),
    "DISTRICT": ("districts", "streets", "communities"),
    "STREET": ("streets", "communities"),
    "COMMUNITY": ("communities",),
}
LEVEL = {"districts": "district_id", "streets": "street_id", "communities": "community_id"}


@dataclass
class Tables:
    projects: list[Any]
    evaluations: list[Any]
    filings: list[Any]
    accounts: list[Any]


@pytest.fixture(scope="module")
async def office_url(databases: TestDatabases, tiny_template_url: str) -> str:
    return await office_history_copy(databases, tiny_template_url)


@pytest.fixture(scope="module")
async def app(office_url: str) -> AsyncIterator[RunningApp]:
    async with running_app(office_url, clock=lambda: local(TODAY)) as running:
        yield running


@pytest.fixture(scope="module")
async def tables(app: RunningApp) -> Tables:
    async with app.services.engine.connect() as conn:

        async def rows(statement: Any) -> list[Any]:
            return list((await conn.execute(statement)).all())

        return Tables(
            projects=await rows(
                select(
                    Project.id,
                    Project.enterprise_id,
                    Project.community_id,
                    Project.street_id,
                    Project.district_id,
                )
            ),
            evaluations=await rows(select(Evaluation)),
            filings=await rows(select(TenderFiling)),
            accounts=await rows(select(Account).where(Account.disabled.is_(False))),
        )


# --- the oracle ------------------------------------------------------------------------


def _mean(total: Decimal, count: int) -> float | None:
    return float((total / count).quantize(Decimal("0.01"))) if count else None


def evaluation_oracle(tables: Tables, projects: set[int], year: int) -> dict[str, Any]:
    rows = {(e.project_id, e.half): e for e in tables.evaluations if e.year == year}
    halves, finals = {}, {}
    for half in ("H1", "H2"):
        closed = TODAY > evaluation.window(year, evaluation.Half(half))[1]
        mine = [rows[(p, half)] for p in projects if (p, half) in rows]
        approved = [e for e in mine if e.status == "APPROVED"]
        final = {e.project_id: e.score for e in approved}
        if closed:
            final.update({p: Decimal(100) for p in projects if p not in final})
        finals[half] = final
        halves[half.lower()] = {
            "half": half,
            "scored": len(mine),
            "approved": len(approved),
            "defaulted": len(projects) - len(approved) if closed else 0,
            "final": len(final),
            "meanScore": _mean(sum(final.values(), Decimal(0)), len(final)),
        }
    both = [p for p in projects if p in finals["H1"] and p in finals["H2"]]
    annual = sum(((finals["H1"][p] + finals["H2"][p]) / 2 for p in both), Decimal(0))
    return {
        "year": year,
        "projects": len(projects),
        "annualProjects": len(both),
        "meanAnnual": _mean(annual, len(both)),
        **halves,
    }


def tender_oracle(filings: list[Any]) -> dict[str, Any]:
    def band(f: Any) -> str:
        days = f.working_days
        if days is None:
            days = workdays.working_days(f.filed_on, TODAY)
        return workdays.timeliness(days).value

    statuses = Counter(str(f.status) for f in filings)
    bands = Counter(band(f) for f in filings)
    return {
        "filings": len(filings),
        "byStatus": [
            {"status": s, "filings": statuses[s]}
            for s in ("FILED", "CLERK_REVIEWED", "APPROVED", "REJECTED")
        ],
        "byTimeliness": [
            {"timeliness": t, "filings": bands[t]}
            for t in ("NORMAL", "OVERDUE", "SEVERELY_OVERDUE")
        ],
    }


def expected(tables: Tables, projects: set[int], filings: list[Any]) -> dict[str, Any]:
    return {
        **{f"y{y}": evaluation_oracle(tables, projects, y) for y in YEARS},
        "tenderFigures": tender_oracle(filings),
    }


def office_projects(tables: Tables, column: str | None, node: int | None) -> set[int]:
    return {p.id for p in tables.projects if column is None or getattr(p, column) == node}


def office_filings(tables: Tables, column: str | None, node: int | None) -> list[Any]:
    return [f for f in tables.filings if column is None or getattr(f, column) == node]


def scope_column(account: Any) -> tuple[str | None, int | None]:
    if account.role == "CITY":
        return None, None
    column = f"{account.role.lower()}_id"
    return column, getattr(account, column)


# --- the tests -------------------------------------------------------------------------


async def test_the_history_has_figures_worth_counting(tables: Tables) -> None:
    assert {(e.year, e.half) for e in tables.evaluations} == {
        (2025, "H1"),
        (2025, "H2"),
        (2026, "H1"),
    }
    assert {str(f.status) for f in tables.filings} == {
        "FILED",
        "CLERK_REVIEWED",
        "APPROVED",
        "REJECTED",
    }


@pytest.mark.parametrize("role", list(LISTS))
async def test_offices_count_exactly_their_subtree(
    app: RunningApp, tables: Tables, role: str
) -> None:
    accounts = [a for a in tables.accounts if a.role == role]
    assert accounts
    for account in accounts:
        column, node = scope_column(account)
        client = app.client(account.username)
        # the root: the account's whole scope
        root = await client.data(f"{{ {FIGURES} }}")
        want = expected(
            tables, office_projects(tables, column, node), office_filings(tables, column, node)
        )
        assert root == want, account.username
        # each node of the drill-down it sees: that node's subtree
        for name in LISTS[role]:
            query = LIST.replace("LIST", name).replace("FIGURES", FIGURES)
            edges = (await client.data(query))[name]["edges"]
            assert edges
            for edge in edges:
                pk = int(from_global_id(edge["node"]["id"])[1])
                want = expected(
                    tables,
                    office_projects(tables, LEVEL[name], pk),
                    office_filings(tables, LEVEL[name], pk),
                )
                got = {k: v for k, v in edge["node"].items() if k != "id"}
                assert got == want, (account.username, name, pk)


@pytest.mark.parametrize("role", ["ENTERPRISE", "MANAGER"])
async def test_enterprises_and_managers_count_their_filings_and_no_evaluations(
    app: RunningApp, tables: Tables, role: str
) -> None:
    accounts = [a for a in tables.accounts if a.role == role]
    assert accounts
    seen_some = False
    for account in accounts:
        client = app.client(account.username)
        if role == "ENTERPRISE":
            mine = [f for f in tables.filings if f.enterprise_id == account.enterprise_id]
        else:
            mine = [f for f in tables.filings if f.project_id == account.project_id]
        seen_some |= bool(mine)
        data = await client.data(f"{{ tenderFigures {{ {TENDER_FIELDS} }} }}")
        assert data["tenderFigures"] == tender_oracle(mine), account.username
        body = await client.execute("{ evaluationFigures(year: 2025) { projects } }")
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert seen_some  # and some see none: zeros, not someone else's


@pytest.mark.parametrize("role", ["OWNER", "DELEGATE", None])
async def test_roles_that_see_no_office_work_have_no_figures(
    app: RunningApp, tables: Tables, role: str | None
) -> None:
    username = next((a.username for a in tables.accounts if a.role == role), None)
    client = app.client(username) if role else app.client()
    for query in (
        "{ evaluationFigures(year: 2025) { projects } }",
        "{ tenderFigures { filings } }",
        "{ projects(first: 1) { edges { node { community { tenderFigures { filings } } } } } }",
    ):
        body = await client.execute(query)
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", body


async def test_a_node_outside_the_scope_has_no_figures(app: RunningApp, tables: Tables) -> None:
    head = next(a for a in tables.accounts if a.role == "COMMUNITY")
    other = next(p.community_id for p in tables.projects if p.community_id != head.community_id)
    query = """query($id: ID!) { node(id: $id) { ... on Community {
      evaluationFigures(year: 2025) { projects } tenderFigures { filings } } } }"""
    data = await app.client(head.username).data(query, {"id": to_global_id("Community", other)})
    assert data["node"] is None


@pytest.mark.parametrize("year", [1999, 2101])
async def test_a_year_out_of_range_is_bad_input(app: RunningApp, year: int) -> None:
    body = await app.client("city_head").execute(
        "query($y: Int!) { evaluationFigures(year: $y) { projects } }", {"y": year}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
