"""A repair project's shares as an XLSX sheet (导出分摊 / 导入分摊): bytes in, bytes out.

One sheet, ``shares``, one row per sharing unit under the headers ``HEADERS``:
``unitId`` (the unit's GraphQL id), ``building``, ``unit`` and ``area`` (to
read, never read back) and ``amount`` (yuan, the one column an import takes).
Amounts are written as numbers with the ``0.00`` format, so Excel sums them.

Reading refuses, with one VALIDATION error on ``file`` naming the row and
what is wrong, and before anything is written:

- a file over ``max_bytes``, or not a ZIP with a workbook inside, or one whose
  members would unpack to more than ``MAX_UNPACKED`` bytes (a zip bomb), by
  the sizes in its directory, before openpyxl opens it (Python's zipfile never
  unpacks a member past its declared size);
- other headers than ``HEADERS``, a value outside those columns, more than
  ``max_rows`` rows;
- a formula anywhere (openpyxl keeps it as text, data type ``f``; nothing is
  evaluated), a unit id that is not text, an amount that is not a number or
  numeric text, has more than two decimals, or is zero or below.

openpyxl gives a numeric cell as a float: its ``repr`` is the shortest text
that reads back as the same float, which is the number as the sheet wrote
it, so ``123.45`` stays ``Decimal("123.45")`` and ``123.450000001`` is
refused rather than rounded. XML entity tricks are refused by defusedxml,
which openpyxl uses whenever it is installed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from propgraph.workflows.errors import MutationError, invalid
from propgraph.workflows.repair import parse_money

HEADERS = ("unitId", "building", "unit", "area", "amount")
SHEET = "shares"
MONEY_FORMAT = "0.00"
MAX_BYTES = 5 * 1024 * 1024  # ten thousand units take about 0.5 MB
MAX_UNPACKED = 16 * 1024 * 1024  # and about 3 MB unpacked
MAX_MEMBERS = 200
MAX_ROWS = 10_000  # createRepairProject's limit of sharing units
# Columns read past the headers, so a stray value beside the table is refused.
WIDTH = len(HEADERS) + 5
# Numeric text: digits with an optional point and decimals (no grouping, no exponent).
NUMERIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ShareLine:
    """One row of an exported sheet."""

    unit_id: str
    building: str
    unit: str
    area: float
    amount: Decimal


@dataclass(frozen=True)
class SheetShare:
    """One row of an imported sheet: its row number (for messages), unit id and amount."""

    row: int
    unit_id: str
    amount: Decimal


def write_shares(lines: Sequence[ShareLine], title: str) -> bytes:
    """The sheet of ``lines``; ``title`` (the repair project's) goes in its properties."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    book.properties.title = title[:255]
    sheet = book.create_sheet(SHEET)
    sheet.append(list(HEADERS))
    for line in lines:
        area = WriteOnlyCell(sheet, value=line.area)
        amount = WriteOnlyCell(sheet, value=line.amount)
        area.number_format = amount.number_format = MONEY_FORMAT
        sheet.append([line.unit_id, line.building, line.unit, area, amount])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_shares(
    content: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> list[SheetShare]:
    """The unit ids and amounts of a sheet as ``write_shares`` writes it, or the refusal."""
    if len(content) > max_bytes:
        raise invalid("file", f"The sheet is larger than {max_bytes // 1024:,} KB.")
    check_archive(content)
    try:
        return _read(content, max_rows)
    except MutationError:
        raise
    except Exception:  # openpyxl's many ways of saying the file is broken
        raise _unreadable() from None


def check_archive(content: bytes) -> None:
    """A ZIP holding a workbook, whose members unpack to at most ``MAX_UNPACKED`` bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _unreadable() from None
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _unreadable()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise invalid(
            "file", f"The workbook unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB."
        )


def _unreadable() -> MutationError:
    return invalid("file", "This is not an XLSX workbook; export the shares and edit that file.")


def _read(content: bytes, max_rows: int) -> list[SheetShare]:
    from openpyxl import load_workbook

    # data_only=False: a formula stays a formula (data type "f"), never its cached value.
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        if not book.worksheets:
            raise _unreadable()
        rows = _rows(book.worksheets[0])
        header = next(rows, None)
        if header is None or _header(header[1]) != HEADERS:
            raise invalid(
                "file",
                f"The first row must be the headers {', '.join(HEADERS)} (as exported).",
            )
        shares: list[SheetShare] = []
        for number, cells in rows:
            if len(shares) == max_rows:
                raise invalid("file", f"The sheet has more than {max_rows:,} rows of shares.")
            shares.append(_share(number, cells))
        return shares
    finally:
        book.close()


def _rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """Each row holding anything, with its number; empty rows (Excel keeps some) skipped."""
    for number, cells in enumerate(sheet.iter_rows(max_col=WIDTH), start=1):
        cells = list(cells)
        for cell in cells:
            if cell.data_type == "f":
                raise invalid(
                    "file",
                    f"Row {number} holds a formula ({str(cell.value)[:40]}); "
                    "type the amount itself.",
                )
        if any(_filled(cell.value) for cell in cells):
            yield number, cells


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _header(cells: list[Any]) -> tuple[str, ...]:
    values = [c.value.strip() if isinstance(c.value, str) else c.value for c in cells]
    while values and not _filled(values[-1]):
        values.pop()
    return tuple(values)


def _share(number: int, cells: list[Any]) -> SheetShare:
    width = len(HEADERS)
    if any(_filled(c.value) for c in cells[width:]):
        raise invalid("file", f"Row {number} has a value outside the columns {', '.join(HEADERS)}.")
    cells = cells + [None] * (width - len(cells))
    unit, amount = cells[0], cells[width - 1]
    if unit is None or unit.data_type != "s" or not _filled(unit.value):
        raise invalid("file", f"Row {number}: give the unit's id (unitId) as exported.")
    return SheetShare(number, unit.value.strip(), _amount(number, amount))


def _amount(number: int, cell: Any) -> Decimal:
    """The cell's amount, exact: a number or numeric text, to the fen, above zero."""
    value = None if cell is None else cell.value
    if cell is None or not _filled(value):
        raise invalid("file", f"Row {number}: the amount is empty.")
    if cell.data_type == "n" and isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value)
    elif cell.data_type == "s" and isinstance(value, str) and NUMERIC.fullmatch(value.strip()):
        text = value.strip()
    else:
        raise invalid("file", f"Row {number}: the amount must be a number of yuan.")
    try:
        return parse_money(text, "file")
    except MutationError as error:
        raise invalid("file", f"Row {number}: {error.message}") from None
