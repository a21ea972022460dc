"""Global ids and cursors written by PostgreSQL are exactly Python's (schema/relay.py).

A compiled read builds every id in SQL; standard base64 is used as it is
when no id of that prefix can hold '+' or '/', else the two are swapped.
"""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import text

import propgraph.schema.build  # noqa: F401  (registers every node type)
from propgraph.db import create_engine
from propgraph.resolvers.compiled.sql import _digits_need_no_swap, cursor, prefixed_base64url
from propgraph.schema.nodes import NODE_TYPES
from propgraph.schema.relay import CURSOR_PREFIX, encode_cursor, to_global_id
from tests.support.databases import SERVER_URL

# Around every length change, and keys far past any table's.
KEYS = [0, 1, 9, 10, 63, 99, 100, 999, 1000, 12_345, 999_999, 2**31 - 1, 2**40 + 17, 2**63 - 1]
# Prefixes whose own bytes, or the group they share with the first digits, encode
# to '+' or '/' in standard base64: the swap must be written for them.
SWAPPED = [">>>:", "???:", "Type\xfe:", "a>>>:"]


def test_our_prefixes_need_no_swap_and_others_are_found_out() -> None:
    assert len(NODE_TYPES) > 20
    for type_name in NODE_TYPES:
        assert _digits_need_no_swap(f"{type_name}:"), type_name
    assert _digits_need_no_swap(CURSOR_PREFIX)
    for prefix in SWAPPED:
        assert not _digits_need_no_swap(prefix), prefix
        assert "replace(" in prefixed_base64url(prefix, "1")


def test_the_check_agrees_with_brute_force_over_keys() -> None:
    for prefix in [*(f"{t}:" for t in NODE_TYPES), CURSOR_PREFIX, *SWAPPED]:
        standard_is_safe = all(
            b"+" not in base64.b64encode(f"{prefix}{key}".encode())
            and b"/" not in base64.b64encode(f"{prefix}{key}".encode())
            for key in range(0, 3000)
        )
        # never claims "no swap needed" where a key shows one is
        assert standard_is_safe or not _digits_need_no_swap(prefix), prefix


@pytest.mark.skipif(not SERVER_URL, reason="compiled reads are PostgreSQL's")
async def test_postgresql_writes_what_python_writes(tiny_db_url: str) -> None:
    engine = create_engine(tiny_db_url)
    try:
        async with engine.connect() as conn:
            for prefix in [*(f"{t}:" for t in sorted(NODE_TYPES)), *SWAPPED]:
                for key in KEYS:
                    written = await conn.scalar(
                        text(f"SELECT {prefixed_base64url(prefix, f'{key}::numeric')}")
                    )
                    expected = base64.urlsafe_b64encode(f"{prefix}{key}".encode()).decode()
                    assert written == expected, (prefix, key)
            for type_name in ("Unit", "SubsidyApplication"):
                written = await conn.scalar(
                    text(f"SELECT {prefixed_base64url(type_name + ':', '4711')}")
                )
                assert written == to_global_id(type_name, 4711)
            for index in (0, 1, 49, 50, 12_345):
                assert await conn.scalar(text(f"SELECT {cursor(str(index))}")) == encode_cursor(
                    index
                )
    finally:
        await engine.dispose()
