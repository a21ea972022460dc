"""GET /exports/{table}.csv|xlsx: each account gets exactly its own subtree's rows, like GraphQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from propgraph.models import Account, Building, Community, District, Project, Street
from propgraph.schema.relay import to_global_id
from tests.support.app import RunningApp, token_for

# role → (the account's scope column, the children's model, the children's column naming it)
CHILDREN: dict[str, tuple[str | None, Any, Any]] = {
    "CITY": (None, District, None),
    "DISTRICT": ("district_id", Street, Street.district_id),
    "STREET": ("street_id", Community, Community.street_id),
    "COMMUNITY": ("community_id", Project, Project.community_id),
    "ENTERPRISE": ("enterprise_id", Project, Project.enterprise_id),
    "MANAGER": ("project_id", Building, Building.project_id),
}
TYPE_NAMES = {
    District: "District",
    Street: "Street",
    Community: "Community",
    Project: "Project",
    Building: "Building",
}


async def _expected(app: RunningApp, role: str) -> list[tuple[str, set[str]]]:
    """Every enabled account of ``role`` with the ids of its scope node's children, from the tables."""
    column, model, parent = CHILDREN[role]
    async with app.services.engine.connect() as conn:
        accounts = (
            await conn.execute(
                select(Account).where(Account.role == role, Account.disabled.is_(False))
            )
        ).all()
        found = []
        for account in accounts:
            query = select(model.id)
            if column is not None:
                query = query.where(parent == getattr(account, column))
            ids = {to_global_id(TYPE_NAMES[model], pk) for pk in (await conn.scalars(query))}
            found.append((account.username, ids))
    return found


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 (Chinese names) with the BOM
    return list(csv.DictReader(io.StringIO(text[1:])))


def _get(app: RunningApp, path: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return app.http.get(path, headers=headers)


@pytest.mark.parametrize("role", list(CHILDREN))
async def test_stats_rows_are_the_children_of_each_accounts_scope(
    tiny: RunningApp, role: str
) -> None:
    for username, children in await _expected(tiny, role):
        # when the account exports its stats table
        response = await _get(tiny, "/exports/stats.csv", token_for(username))
        # then it lists exactly its scope node's children
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        rows = _csv_rows(response.content)
        assert {r["id"] for r in rows} == children, username
        assert list(rows[0]) == [
            "id",
            "name",
            "projects",
            "buildings",
            "units",
            "floorArea",
            "owners",
        ]
        assert all(r["name"] for r in rows)
        assert all(int(r["units"]) > 0 for r in rows)


async def test_stats_figures_match_the_graphql_answer_and_xlsx_matches_csv(
    tiny: RunningApp,
) -> None:
    # given a district head
    (username, _), *_ = await _expected(tiny, "DISTRICT")
    token = token_for(username)
    data = await tiny.client(token=token).data(
        "{ me { scope { ... on District { streets { edges { node { id name stats { units owners floorArea } } } } } } } }"
    )
    streets = {e["node"]["id"]: e["node"] for e in data["me"]["scope"]["streets"]["edges"]}
    # when it exports the table as CSV and as XLSX
    rows = _csv_rows((await _get(tiny, "/exports/stats.csv", token)).content)
    xlsx = await _get(tiny, "/exports/stats.xlsx", token)
    # then the figures are GraphQL's, and the workbook holds the same table
    for row in rows:
        street = streets[row["id"]]
        assert row["name"] == street["name"]
        assert int(row["units"]) == street["stats"]["units"]
        assert int(row["owners"]) == street["stats"]["owners"]
        assert float(row["floorArea"]) == pytest.approx(street["stats"]["floorArea"])
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == ["id", "name", "projects", "buildings", "units", "floorArea", "owners"]
    assert [(r[0], r[1], r[4]) for r in table[1:]] == [
        (r["id"], r["name"], int(r["units"])) for r in rows
    ]


async def test_a_node_outside_the_scope_is_not_found(tiny: RunningApp) -> None:
    accounts = await _expected(tiny, "DISTRICT")
    mine, mine_children = accounts[0]
    other, other_children = next(a for a in accounts if a[1] != mine_children)
    async with tiny.services.engine.connect() as conn:
        other_district = await conn.scalar(
            select(Account.district_id).where(Account.username == other)
        )
    node = to_global_id("District", other_district)
    # the other district is out of the first one's scope: exactly like an unknown id
    response = await _get(tiny, f"/exports/stats.csv?node={node}", token_for(mine))
    assert response.status_code == 404
    # while its own head drills into it, and a CITY account too
    for username in (other, "city_head"):
        response = await _get(tiny, f"/exports/stats.csv?node={node}", token_for(username))
        assert response.status_code == 200
        assert {r["id"] for r in _csv_rows(response.content)} == other_children


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_subsidy_figures(tiny: RunningApp, fmt: str) -> None:
    response = await _get(tiny, f"/exports/subsidy-figures.{fmt}", token_for("city_head"))
    assert response.status_code == 200, response.text
    if fmt == "csv":
        rows = _csv_rows(response.content)
        assert rows[-1]["status"] == "TOTAL"
        assert list(rows[0]) == [
            "status",
            "applications",
            "enterprises",
            "projects",
            "area",
            "amount",
        ]


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [
        ("/exports/stats.csv", None, 401),
        ("/exports/stats.xlsx", None, 401),
        ("/exports/subsidy-figures.csv", None, 401),
        ("/exports/stats.csv", "not-a-token", 401),
        ("/exports/subsidy-figures.xlsx", "not-a-token", 401),
        ("/exports/stats.pdf", "city_head", 404),
        ("/exports/owners.csv", "city_head", 404),
    ],
)
async def test_refusals(tiny: RunningApp, path: str, token: str | None, status: int) -> None:
    bearer = token_for(token) if token == "city_head" else token
    response = await _get(tiny, path, bearer)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] in {"UNAUTHENTICATED", "NOT_FOUND"}
    if status == 401:
        assert "WWW-Authenticate" in response.headers


async def test_an_owner_has_no_statistics_to_export(tiny: RunningApp) -> None:
    async with tiny.services.engine.connect() as conn:
        owner = await conn.scalar(select(Account.username).where(Account.role == "OWNER").limit(1))
    response = await _get(tiny, "/exports/stats.csv", token_for(owner))
    assert response.status_code == 404
    response = await _get(tiny, "/exports/subsidy-figures.csv", token_for(owner))
    assert response.status_code == 400  # the OWNER schema has no subsidyFigures
