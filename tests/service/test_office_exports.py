"""GET /exports/evaluations and /exports/tender-filings: one row per visible row, like GraphQL.

The demo's office history is seeded into a private tiny copy; each account's
export is compared with the rows of its subtree counted from the tables.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from propgraph import exports
from propgraph.models import Account, Evaluation, TenderFiling
from propgraph.schema.relay import to_global_id
from tests.support.app import RunningApp, running_app, token_for
from tests.support.databases import TestDatabases
from tests.support.office import office_history_copy

EVALUATION_COLUMNS = [
    "id",
    "year",
    "half",
    "status",
    "communityScore",
    "score",
    "comment",
    "reviewComment",
    "projectId",
    "project",
    "district",
    "street",
    "community",
]
FILING_COLUMNS = [
    "id",
    "title",
    "status",
    "filedAt",
    "proposal",
    "remark",
    "decisionComment",
    "workingDays",
    "timeliness",
    "projectId",
    "project",
    "district",
    "street",
    "community",
]
OFFICES = ("CITY", "DISTRICT", "STREET", "COMMUNITY")


@pytest.fixture(scope="module")
async def app(databases: TestDatabases, tiny_template_url: str) -> AsyncIterator[RunningApp]:
    url = await office_history_copy(databases, tiny_template_url)
    async with running_app(url) as running:
        yield running


async def _rows(app: RunningApp, statement: Any) -> list[Any]:
    async with app.services.engine.connect() as conn:
        return list((await conn.execute(statement)).all())


def _csv(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


async def _get(app: RunningApp, path: str, username: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token_for(username)}"} if username else {}
    return await app.http.get(path, headers=headers)


def _mine(account: Any, row: Any, enterprise_sees: bool) -> bool:
    if account.role == "CITY":
        return True
    if account.role in OFFICES:
        column = f"{account.role.lower()}_id"
        return bool(getattr(row, column) == getattr(account, column))
    if account.role == "ENTERPRISE" and enterprise_sees:
        return bool(row.enterprise_id == account.enterprise_id)
    if account.role == "MANAGER" and enterprise_sees:
        return bool(row.project_id == account.project_id)
    return False


@pytest.mark.parametrize(
    ("table", "model", "columns", "roles"),
    [
        ("evaluations", Evaluation, EVALUATION_COLUMNS, OFFICES),
        ("tender-filings", TenderFiling, FILING_COLUMNS, (*OFFICES, "ENTERPRISE", "MANAGER")),
    ],
)
async def test_each_account_exports_exactly_its_rows(
    app: RunningApp, table: str, model: Any, columns: list[str], roles: tuple[str, ...]
) -> None:
    rows = await _rows(app, select(model))
    accounts = await _rows(
        app, select(Account).where(Account.role.in_(roles), Account.disabled.is_(False))
    )
    kind = "Evaluation" if model is Evaluation else "TenderFiling"
    empty = 0
    for account in accounts:
        # when the account exports the table
        response = await _get(app, f"/exports/{table}.csv", account.username)
        assert response.status_code == 200, response.text
        exported = _csv(response.content)
        # then it has exactly the rows of its scope, with their project's place
        want = {to_global_id(kind, r.id) for r in rows if _mine(account, r, model is TenderFiling)}
        assert {r["id"] for r in exported} == want, account.username
        assert response.content.decode("utf-8").lstrip("\ufeff").split("\r\n")[0] == ",".join(
            columns
        )
        assert all(r["project"] and r["community"] and r["district"] for r in exported)
        empty += not want
    assert empty  # some accounts see none: a header and no rows


async def test_rows_are_the_graphql_answer_and_xlsx_matches_csv(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "LISTING_PAGE", 2)  # several pages
    data = await app.client("city_head").data(
        """{ tenderFilings(first: 100) { edges { node { id title status workingDays timeliness
        project { name region { streetName } } } } } }"""
    )
    filings = {e["node"]["id"]: e["node"] for e in data["tenderFilings"]["edges"]}
    rows = _csv((await _get(app, "/exports/tender-filings.csv", "city_head")).content)
    assert len(rows) == len(filings) > 2
    for row in rows:
        node = filings[row["id"]]
        assert (row["title"], row["status"], row["timeliness"]) == (
            node["title"],
            node["status"],
            node["timeliness"],
        )
        assert int(row["workingDays"]) == node["workingDays"]
        assert (row["project"], row["street"]) == (
            node["project"]["name"],
            node["project"]["region"]["streetName"],
        )
    xlsx = await _get(app, "/exports/tender-filings.xlsx", "city_head")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == FILING_COLUMNS
    assert [(r[0], r[1], r[7]) for r in table[1:]] == [
        (r["id"], r["title"], int(r["workingDays"])) for r in rows
    ]


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/exports/evaluations.csv?year=2025&half=H1", "half", "H1"),
        ("/exports/evaluations.csv?status=SCORED", "status", "SCORED"),
        ("/exports/tender-filings.csv?status=APPROVED", "status", "APPROVED"),
        ("/exports/tender-filings.csv?timeliness=SEVERELY_OVERDUE", "timeliness", None),
    ],
)
async def test_filters(app: RunningApp, path: str, field: str, value: str | None) -> None:
    everything = _csv((await _get(app, path.split("?")[0], "city_head")).content)
    rows = _csv((await _get(app, path, "city_head")).content)
    assert rows and len(rows) < len(everything)
    expected = value or path.rsplit("=", 1)[1]
    assert {r[field] for r in rows} == {expected}
    if "year" in path:
        assert {r["year"] for r in rows} == {"2025"}


async def _first(app: RunningApp, role: str) -> str:
    found = await _rows(app, select(Account.username).where(Account.role == role).limit(1))
    return str(found[0][0])


@pytest.mark.parametrize(
    ("path", "who", "status"),
    [
        ("/exports/evaluations.csv", None, 401),
        ("/exports/tender-filings.xlsx", None, 401),
        ("/exports/evaluations.csv", "bad-token", 401),
        ("/exports/tender-filings.csv", "bad-token", 401),
        ("/exports/evaluations.csv?year=20x5", "city_head", 400),
        ("/exports/evaluations.csv?half=H3", "city_head", 400),
        ("/exports/tender-filings.csv?timeliness=LATE", "city_head", 400),
        ("/exports/evaluations.pdf", "city_head", 404),
        # roles whose schema has no such list
        ("/exports/evaluations.csv", "ENTERPRISE", 400),
        ("/exports/evaluations.csv", "MANAGER", 400),
        ("/exports/evaluations.csv", "OWNER", 400),
        ("/exports/tender-filings.csv", "OWNER", 400),
        ("/exports/tender-filings.xlsx", "DELEGATE", 400),
    ],
)
async def test_refusals(app: RunningApp, path: str, who: str | None, status: int) -> None:
    headers = {}
    if who == "bad-token":
        headers = {"Authorization": "Bearer not-a-token"}
    elif who is not None:
        username = who if who == "city_head" else await _first(app, who)
        headers = {"Authorization": f"Bearer {token_for(username)}"}
    response = await app.http.get(path, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["errors"]
    if status == 401:
        assert "WWW-Authenticate" in response.headers
