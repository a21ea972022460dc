"""The shares' XLSX sheet without a database: written, read back, and every hostile sheet."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from propgraph.share_sheet import (
    HEADERS,
    MAX_BYTES,
    ShareLine,
    SheetShare,
    read_shares,
    write_shares,
)
from propgraph.workflows.errors import ErrorCode, MutationError
from tests.support.share_sheets import (
    BILLION_LAUGHS,
    book,
    table,
    with_member,
    zip_bomb,
    zip_of,
)

LINES = [
    ShareLine("VW5pdDox", "1栋", "1-0101", 89.5, Decimal("333.34")),
    ShareLine("VW5pdDoy", "1栋", "1-0102", 120.25, Decimal("666.66")),
]


def refusal(content: bytes, **limits: int) -> str:
    """The one error reading ``content`` gives: VALIDATION on ``file``; its message."""
    with pytest.raises(MutationError) as caught:
        read_shares(content, **limits)
    assert (caught.value.code, caught.value.field) == (ErrorCode.VALIDATION, "file")
    return caught.value.message


def test_a_written_sheet_reads_back_exactly() -> None:
    # given two shares written as a sheet
    content = write_shares(LINES, "3栋电梯更换")
    # then it holds the headers and the rows, amounts as numbers formatted to the fen
    assert table(content) == [
        list(HEADERS),
        ["VW5pdDox", "1栋", "1-0101", 89.5, 333.34],
        ["VW5pdDoy", "1栋", "1-0102", 120.25, 666.66],
    ]
    # and reading it gives the unit ids and the exact Decimal amounts, with row numbers
    assert read_shares(content) == [
        SheetShare(2, "VW5pdDox", Decimal("333.34")),
        SheetShare(3, "VW5pdDoy", Decimal("666.66")),
    ]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234.5, Decimal("1234.50")),
        (100000000, Decimal("100000000.00")),
        (0.01, Decimal("0.01")),
        ("  42.10 ", Decimal("42.10")),  # numeric text, as a Text-formatted cell holds it
        ("7", Decimal("7.00")),
        (Decimal("19.99"), Decimal("19.99")),
    ],
)
def test_numbers_and_numeric_text_are_exact(amount: Any, expected: Decimal) -> None:
    [share] = read_shares(book([["VW5pdDox", "1栋", "1-0101", 80, amount]]))
    assert share.amount == expected and isinstance(share.amount, Decimal)


def test_empty_rows_are_skipped() -> None:
    content = book([["VW5pdDox", "", "", None, 1], [None] * 5, ["VW5pdDoy", "", "", None, 2]])
    assert [s.row for s in read_shares(content)] == [2, 4]


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        (-1, "above zero"),
        ("-0.01", "above zero"),
        (0, "above zero"),
        ("0.00", "above zero"),
        (1.234, "two decimals"),
        ("1.001", "two decimals"),
        (123.450000001, "two decimals"),
        (1e300, "not exceed"),
        ("abc", "number of yuan"),
        ("1,234.00", "number of yuan"),
        ("1e3", "number of yuan"),
        ("NaN", "number of yuan"),
        (True, "number of yuan"),
        (datetime.date(2026, 1, 1), "number of yuan"),
        ("#DIV/0!", "number of yuan"),  # an error cell
        (None, "empty"),
        ("   ", "empty"),
        ("=1+1", "formula"),
        ("=SUM(E2:E3)", "formula"),
    ],
)
def test_a_bad_amount_is_refused_naming_its_row(amount: Any, says: str) -> None:
    rows = [["VW5pdDox", "", "", 1, "1.00"], ["VW5pdDoy", "", "", 1, amount]]
    message = refusal(book(rows))
    assert "Row 3" in message and says in message, message


def test_a_formula_anywhere_is_refused_not_evaluated() -> None:
    rows = [["VW5pdDox", '=HYPERLINK("http://x")', "", 1, "1.00"]]
    assert "formula" in refusal(book(rows))
    assert "formula" in refusal(book(rows, ["unitId", "building", "unit", "area", "=1+1"]))


@pytest.mark.parametrize(
    "headers",
    [
        ["unitId", "unit", "building", "area", "amount"],  # reordered
        ["unitId", "building", "unit", "amount"],  # one missing
        [*HEADERS, "note"],  # one more
        ["单元", "楼栋", "房号", "面积", "金额"],
        [],
    ],
)
def test_other_headers_are_refused(headers: list[str]) -> None:
    assert "headers" in refusal(book([["VW5pdDox", "", "", 1, "1.00"]], headers))


def test_an_empty_sheet_and_values_outside_the_table_are_refused() -> None:
    assert "headers" in refusal(book([], []))
    message = refusal(book([["VW5pdDox", "", "", 1, "1.00", "", "", "stray"]]))
    assert "outside the columns" in message and "Row 2" in message


def test_a_unit_id_must_be_text() -> None:
    assert "unitId" in refusal(book([[12, "", "", 1, "1.00"]]))
    assert "unitId" in refusal(book([[None, "", "", 1, "1.00"]]))


def test_too_many_rows_are_refused() -> None:
    rows = [[f"u{i}", "", "", 1, "1.00"] for i in range(4)]
    assert "more than 3 rows" in refusal(book(rows), max_rows=3)


def test_a_50_mb_file_is_refused_by_its_size_before_parsing() -> None:
    # bytes that are no workbook at all: refused for their size, not their content
    assert "larger than" in refusal(bytes(50 * 1024 * 1024))
    assert "larger than" in refusal(b"x" * (MAX_BYTES + 1))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 not a sheet",
        b"unitId,building,unit,area,amount\r\nVW5pdDox,,,1,1.00\r\n",
        b"PK\x03\x04 truncated",
        zip_of({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),
        b"",
    ],
)
def test_what_is_not_a_workbook_is_refused(content: bytes) -> None:
    assert "not an XLSX workbook" in refusal(content)


def test_a_zip_bomb_is_refused_by_its_declared_sizes_before_unpacking() -> None:
    bomb = zip_bomb(write_shares(LINES, "t"))
    assert len(bomb) < MAX_BYTES
    assert "unpacks to more than" in refusal(bomb)


def test_xml_entity_expansion_is_refused() -> None:
    content = with_member(write_shares(LINES, "t"), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    assert "not an XLSX workbook" in refusal(content)


def test_a_broken_member_is_refused() -> None:
    content = with_member(write_shares(LINES, "t"), "xl/workbook.xml", b"<not-a-workbook")
    assert "not an XLSX workbook" in refusal(content)
