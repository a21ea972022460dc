"""``GET /exports/repair-projects/{id}/shares.xlsx``: a repair project's shares as a sheet.

Like the other exports (``propgraph/exports.py``) it runs public GraphQL
operations through the gateway with the caller's ``Authorization`` header,
so it holds exactly the shares the caller's ``RepairProject.shares`` shows:
a repair project the caller cannot see is 404, like one that does not exist.
The sheet's layout is ``propgraph/share_sheet.py``'s; ``importRepairShares``
takes it back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from propgraph.admission import not_found, unauthorized
from propgraph.exports import PAGE, ExportRefused, Run, gateway_runner
from propgraph.share_sheet import MEDIA_TYPE, ShareLine, write_shares

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
SHARES = """query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on RepairProject {
  title shares(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { area amount unit { id number building { name } } } } } } } }"""


async def share_lines(run: Run, repair_id: str) -> tuple[str, list[ShareLine]]:
    """The repair project's title and the shares the caller sees, by unit."""
    node = (await run(NODE, {"id": repair_id}))["node"]
    if node is None or node["__typename"] != "RepairProject":
        raise ExportRefused(not_found(f"There is no repair project {repair_id!r} here.").response())
    lines: list[ShareLine] = []
    title, after = "", None
    while True:
        data = (await run(SHARES, {"id": node["id"], "first": PAGE, "after": after}))["node"]
        title = data["title"]
        for edge in data["shares"]["edges"]:
            share, unit = edge["node"], edge["node"]["unit"]
            lines.append(
                ShareLine(
                    unit_id=unit["id"],
                    building=unit["building"]["name"],
                    unit=unit["number"],
                    area=share["area"],
                    amount=Decimal(share["amount"]),
                )
            )
        page = data["shares"]["pageInfo"]
        if not page["hasNextPage"]:
            return title, lines
        after = page["endCursor"]


def share_export_endpoint(gateway: ASGIApp) -> Callable[[Request], Awaitable[Response]]:
    """The ``/exports/repair-projects/{id}/shares.xlsx`` endpoint over ``gateway``."""

    async def export(request: Request) -> Response:
        if "authorization" not in request.headers:
            return unauthorized("Exports need a bearer token.").response()
        run = gateway_runner(gateway, request)
        try:
            title, lines = await share_lines(run, request.path_params["id"])
        except ExportRefused as refused:
            return refused.response
        disposition = 'attachment; filename="repair-shares.xlsx"'
        return Response(
            write_shares(lines, title),
            media_type=MEDIA_TYPE,
            headers={"Content-Disposition": disposition},
        )

    return export
