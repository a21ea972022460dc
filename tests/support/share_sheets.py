"""Share sheets for the import tests: as exported, edited, and hostile."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from propgraph.share_sheet import HEADERS
from tests.support.app import RunningApp
from tests.support.subsidy import ERRORS

IMPORT = f"""mutation($input: ImportRepairSharesInput!) {{ importRepairShares(input: $input) {{
  repairProject {{ id status budget version stages {{ index name amount }}
    shares(first: 500) {{ edges {{ node {{ unit {{ id }} amount }} }} }}
    timeline {{ action comment }} }}
  shortfalls {{ unit {{ id }} amount balance }}
  {ERRORS} }} }}"""


def book(rows: Sequence[Sequence[Any]], headers: Sequence[Any] = HEADERS) -> bytes:
    """A workbook whose first sheet holds ``headers`` then ``rows`` (a value starting with
    ``=`` is written as a formula, as Excel would store it)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "shares"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table(content: bytes) -> list[list[Any]]:
    """The first sheet's rows, values only (header first)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def edited(content: bytes, amounts: dict[int, Any]) -> bytes:
    """The exported sheet with the amounts of some data rows (0-based) replaced."""
    rows = table(content)
    for index, amount in amounts.items():
        rows[index + 1][-1] = amount
    return book(rows[1:], rows[0])


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one member replaced (or added)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    members[name] = data
    return zip_of(members)


def zip_bomb(valid: bytes) -> bytes:
    """A real workbook plus 64 MB of zeros that pack into about 64 KB."""
    return with_member(valid, "xl/media/zeros.bin", bytes(64 * 1024 * 1024))


ENTITIES = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)
BILLION_LAUGHS = (
    f'<?xml version="1.0"?><!DOCTYPE worksheet [{ENTITIES}]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()


async def upload(
    app: RunningApp,
    username: str,
    repair: dict[str, Any],
    content: bytes,
    *,
    stages: list[dict[str, str]] | None = None,
    filename: str = "分摊.xlsx",
    version: int | None = None,
) -> dict[str, Any]:
    """importRepairShares as a GraphQL multipart request; the whole response body."""
    input: dict[str, Any] = {
        "id": repair["id"],
        "version": repair["version"] if version is None else version,
        "file": None,
    }
    if stages is not None:
        input["stages"] = stages
    operations = {"query": IMPORT, "variables": {"input": input}}
    response = await app.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (filename, content, "application/octet-stream")},
        headers={"Authorization": f"Bearer {app.client(username).token}"},
    )
    return {"status": response.status_code, **response.json()}


async def export(app: RunningApp, username: str | None, repair_id: str) -> Any:
    headers = {"Authorization": f"Bearer {app.client(username).token}"} if username else {}
    return await app.http.get(f"/exports/repair-projects/{repair_id}/shares.xlsx", headers=headers)
