"""Bring a GraphQL ``data`` object and a hand-written SQL answer to one form.

- Ids: the gateway's global ids are URL-safe base64 of ``"Type:pk"``
  (``schema/relay.py``); the SQL writes ``"Type:pk"``. Any value under a key
  named ``id`` that decodes to ``Type:digits`` becomes that text.
- Numbers: both sides are parsed as exact decimals (``json.loads(...,
  parse_float=Decimal)``) and compared by value, so ``12.5`` equals
  ``12.50`` but ``12.49`` never equals ``12.5``. GraphQL ``Float`` fields go
  through a binary double on the gateway's side; a figure that a double
  cannot carry exactly would show up as a mismatch, not be rounded away.
- Times: ISO 8601 strings with a time zone are compared as instants in UTC.

``first_difference`` names the path of the first mismatch, for the report.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

_GLOBAL_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*:[0-9]+$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)$")


def decode_id(value: str) -> str:
    """``"Type:pk"`` for one of the gateway's global ids; other text unchanged."""
    if _GLOBAL_ID.match(value):
        return value
    try:
        decoded = base64.urlsafe_b64decode(value.encode()).decode()
    except (binascii.Error, ValueError):
        return value
    return decoded if _GLOBAL_ID.match(decoded) else value


def _instant(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(UTC).isoformat()


def normalise(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, key) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return (
            Decimal(str(value)).normalize() if not isinstance(value, Decimal) else value.normalize()
        )
    if isinstance(value, str):
        if key == "id":
            return decode_id(value)
        if _ISO_TIME.match(value):
            return _instant(value)
    return value


def loads(text: str | bytes) -> Any:
    """JSON with every number an exact decimal."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def first_difference(left: Any, right: Any, path: str = "data") -> str | None:
    """Where two normalised answers first differ, with both values; None when equal."""
    if isinstance(left, dict) and isinstance(right, dict):
        for k in sorted(set(left) | set(right)):
            if k not in left or k not in right:
                side = "gateway" if k not in left else "SQL"
                return f"{path}.{k}: missing on the {side} side"
            found = first_difference(left[k], right[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items (gateway) vs {len(right)} (SQL)"
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    if left != right:
        return f"{path}: {_short(left)} (gateway) vs {_short(right)} (SQL)"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def compare(graphql_data: Any, sql_data: Any) -> str | None:
    """None when the answers are equal after normalising; else the first difference."""
    return first_difference(normalise(graphql_data), normalise(sql_data))
