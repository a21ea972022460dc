"""CSV and XLSX exports of the dashboard's tables: ``GET /exports/{table}.{csv|xlsx}``.

Each export runs public GraphQL operations through the gateway itself, with
the caller's own ``Authorization`` header, so its rows are scoped exactly like
the GraphQL answer (and a bad token gets the same 401): nothing here reads
the database or knows a scope rule.

- ``stats``: one row per child of a node (the viewer's scope node, or
  ``?node=ID``) with its ``stats``; below a project, its buildings with their
  unit counts.
- ``subsidy-figures``: applications by status in the viewer's scope (or in
  ``?node=ID``, a district, street or community), optionally ``?roundId=ID``.
- ``evaluations``: one row per evaluation the viewer sees (``Query.evaluations``,
  paged through), optionally ``?year=``, ``?half=``, ``?status=``.
- ``tender-filings``: one row per tender filing it sees (``Query.tenderFilings``),
  optionally ``?status=``, ``?timeliness=``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message

from propgraph.admission import Refusal, not_found, unauthorized

PAGE = 500
LISTING_PAGE = 200  # a listing's rows are wide: within the persons' cost limit (10,000)
STATS = ("projects", "buildings", "units", "floorArea", "owners")
FIGURES = ("applications", "enterprises", "projects", "area", "amount")
STATS_FIELDS = "id name stats { " + " ".join(STATS) + " }"
# A page of children; FIELDS is each child's selection.
CHILD_PAGE = "(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { FIELDS } } }"  # noqa: E501
# The node type → its children's connection and the fields of each child.
CHILDREN: dict[str | None, tuple[str, str]] = {
    None: ("districts", STATS_FIELDS),  # the city: no scope node
    "District": ("streets", STATS_FIELDS),
    "Street": ("communities", STATS_FIELDS),
    "Community": ("projects", STATS_FIELDS),
    "Enterprise": ("projects", STATS_FIELDS),
    "Project": ("buildings", "id name units { totalCount }"),
}
WHERE = "query { me { scope { __typename id } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
FIGURE_FIELDS = f"byStatus {{ status {' '.join(FIGURES)} }} total {{ {' '.join(FIGURES)} }}"
SCOPE_FIGURES = f"query($roundId: ID) {{ subsidyFigures(roundId: $roundId) {{ {FIGURE_FIELDS} }} }}"
NODE_FIGURES = (
    "query($id: ID!, $roundId: ID) { node(id: $id) { "
    + " ".join(
        f"... on {kind} {{ subsidyFigures(roundId: $roundId) {{ {FIGURE_FIELDS} }} }}"
        for kind in ("District", "Street", "Community")
    )
    + " } }"
)


REGION = "project { id region { districtName streetName communityName } }"
REGION_COLUMNS = ["projectId", "project", "district", "street", "community"]


@dataclass(frozen=True)
class Listing:
    """A root connection exported one row per node, with the filters it takes."""

    field: str
    filter_type: str
    filters: dict[str, type]  # query parameter → its type (str or int)
    fields: tuple[str, ...]  # each node's own scalar fields, in column order

    def query(self) -> str:
        selection = f"id projectName {' '.join(self.fields)} {REGION}"
        return (
            f"query($first: Int, $after: String, $filter: {self.filter_type}) {{ "
            f"list: {self.field}(first: $first, after: $after, filter: $filter) {{ "
            f"pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {selection} }} }} }} }}"
        )

    def columns(self) -> list[str]:
        return ["id", *self.fields, *REGION_COLUMNS]

    def row(self, node: dict[str, Any]) -> list[Any]:
        project, region = node["project"], node["project"]["region"]
        return [
            node["id"],
            *(node[k] for k in self.fields),
            project["id"],
            node["projectName"],
            region["districtName"],
            region["streetName"],
            region["communityName"],
        ]


LISTINGS = {
    "evaluations": Listing(
        "evaluations",
        "EvaluationFilter",
        {"year": int, "half": str, "status": str},
        ("year", "half", "status", "communityScore", "score", "comment", "reviewComment"),
    ),
    "tender-filings": Listing(
        "tenderFilings",
        "TenderFilingFilter",
        {"status": str, "timeliness": str},
        (
            "title",
            "status",
            "filedAt",
            "proposal",
            "remark",
            "decisionComment",
            "workingDays",
            "timeliness",
        ),
    ),
}
TABLES = ("stats", "subsidy-figures", *LISTINGS)


class ExportRefused(Exception):
    """An answer other than the table: the gateway's own refusal, or a GraphQL error."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[Any]]


Run = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


def gateway_runner(gateway: ASGIApp, request: Request) -> Run:
    """GraphQL operations sent through ``gateway`` as ``request``'s client, with its token."""
    headers = [(b"content-type", b"application/json"), (b"accept", b"application/json")]
    headers += [(k, v) for k, v in request.scope["headers"] if k == b"authorization"]

    async def run(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables}).encode()
        scope = {
            **request.scope,
            "method": "POST",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
            "state": {},
        }
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await gateway(scope, receive, send)
        status = next(m["status"] for m in sent if m["type"] == "http.response.start")
        answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        start = next(m for m in sent if m["type"] == "http.response.start")
        if status != 200:
            extra = {k.decode(): v.decode() for k, v in start["headers"] if k != b"content-length"}
            extra.pop("content-type", None)
            raise ExportRefused(Response(answer, status, extra, media_type="application/json"))
        result = json.loads(answer)
        if result.get("errors"):
            raise ExportRefused(JSONResponse({"data": None, "errors": result["errors"]}, 400))
        return result["data"]  # type: ignore[no-any-return]

    return run


async def _parent(run: Run, node_id: str | None) -> tuple[str | None, str | None]:
    """The type and id of the node whose children are listed (None, None: the city)."""
    if node_id:
        node = (await run(NODE, {"id": node_id}))["node"]
        if node is None:
            raise ExportRefused(_not_found(node_id))
        return node["__typename"], node["id"]
    me = (await run(WHERE, {}))["me"]
    if me is None:  # PUBLIC: no token
        raise ExportRefused(_unauthenticated())
    scope = me["scope"]
    return (scope["__typename"], scope["id"]) if scope else (None, None)


async def stats_table(run: Run, node_id: str | None) -> Table:
    kind, parent_id = await _parent(run, node_id)
    if kind not in CHILDREN:
        raise ExportRefused(_not_found(node_id or str(kind)))
    connection, fields = CHILDREN[kind]
    selection = connection + CHILD_PAGE.replace("FIELDS", fields)
    if kind is None:
        query = f"query($first: Int, $after: String) {{ list: {selection} }}"
    else:
        query = (
            "query($id: ID!, $first: Int, $after: String) { node(id: $id) { "
            f"... on {kind} {{ list: {selection} }} }} }}"
        )
    rows: list[list[Any]] = []
    after: str | None = None
    while True:
        variables: dict[str, Any] = {"first": PAGE, "after": after}
        if parent_id is not None:
            variables["id"] = parent_id
        data = await run(query, variables)
        page = data["list"] if kind is None else data["node"]["list"]
        for edge in page["edges"]:
            node = edge["node"]
            if "stats" in node:
                rows.append([node["id"], node["name"], *(node["stats"][k] for k in STATS)])
            else:  # a building: its units are all it counts
                rows.append([node["id"], node["name"], None, None, node["units"]["totalCount"]])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return Table(["id", "name", *STATS], rows)


async def figures_table(run: Run, node_id: str | None, round_id: str | None) -> Table:
    if node_id:
        node = (await run(NODE_FIGURES, {"id": node_id, "roundId": round_id}))["node"]
        if not node or "subsidyFigures" not in node:
            raise ExportRefused(_not_found(node_id))
        figures = node["subsidyFigures"]
    else:
        figures = (await run(SCOPE_FIGURES, {"roundId": round_id}))["subsidyFigures"]
    rows = [[f["status"], *(f[k] for k in FIGURES)] for f in figures["byStatus"]]
    rows.append(["TOTAL", *(figures["total"][k] for k in FIGURES)])
    return Table(["status", *FIGURES], rows)


def _filter(listing: Listing, params: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, kind in listing.filters.items():
        value = params.get(name)
        if not value:
            continue
        if kind is int:
            if not value.isdigit() or len(value) > 4:
                raise ExportRefused(_bad_request(f"`{name}` must be a whole number."))
            found[name] = int(value)
        else:
            found[name] = value  # GraphQL checks the enum: 400 if it is not one
    return found


async def listing_table(run: Run, listing: Listing, params: Mapping[str, str]) -> Table:
    """Every node of a root connection the viewer sees, one page after another."""
    query, filter_ = listing.query(), _filter(listing, params)
    rows: list[list[Any]] = []
    after: str | None = None
    while True:
        variables = {"first": LISTING_PAGE, "after": after, "filter": filter_ or None}
        data = await run(query, variables)
        page = data["list"]
        rows += [listing.row(edge["node"]) for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return Table(listing.columns(), rows)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads Chinese right


def to_xlsx(table: Table, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _not_found(what: str) -> Response:
    return not_found(f"There is no table for {what!r} here.").response()


def _bad_request(message: str) -> Response:
    return Refusal(400, "BAD_USER_INPUT", message).response()


def _unauthenticated() -> Response:
    return unauthorized("Exports need a bearer token.").response()


MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def exports_endpoint(gateway: ASGIApp) -> Callable[[Request], Awaitable[Response]]:
    """The ``/exports/{table}.{format}`` endpoint over ``gateway``."""

    async def export(request: Request) -> Response:
        table_name, fmt = request.path_params["table"], request.path_params["format"]
        if fmt not in MEDIA or table_name not in TABLES:
            return not_found(f"Exports: {', '.join(TABLES)}; .csv or .xlsx.").response()
        if "authorization" not in request.headers:
            return _unauthenticated()
        run = gateway_runner(gateway, request)
        node_id = request.query_params.get("node") or None
        try:
            if table_name == "stats":
                table = await stats_table(run, node_id)
            elif table_name in LISTINGS:
                table = await listing_table(run, LISTINGS[table_name], request.query_params)
            else:
                table = await figures_table(run, node_id, request.query_params.get("roundId"))
        except ExportRefused as refused:
            return refused.response
        body = to_csv(table) if fmt == "csv" else to_xlsx(table, table_name)
        disposition = f'attachment; filename="{table_name}.{fmt}"'
        return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})

    return export
