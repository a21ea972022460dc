"""Masking of personal data: ``4403**********1234``, ``138****5678``."""

from __future__ import annotations

# The characters kept at the start and the end of each masked kind of value.
MASKS = {"phone": (3, 4), "id_number": (4, 4), "bank_account": (4, 4)}


def mask_middle(value: str | None, keep_start: int, keep_end: int) -> str | None:
    if value is None:
        return None
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(value)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_id_number(value: str | None) -> str | None:
    return mask_middle(value, *MASKS["id_number"])


def mask_phone(value: str | None) -> str | None:
    return mask_middle(value, *MASKS["phone"])


def mask_bank_account(value: str | None) -> str | None:
    return mask_middle(value, *MASKS["bank_account"])


def mask_middle_sql(expression: str, keep_start: int, keep_end: int) -> str:
    """``mask_middle`` in PostgreSQL, for compiled reads (tests check both agree)."""
    length = f"char_length({expression})"
    hidden = f"({length} - {keep_start + keep_end})"
    return (
        f"CASE WHEN {hidden} <= 0 THEN repeat('*', {length}) "
        f"ELSE left({expression}, {keep_start}) || repeat('*', {hidden}) "
        f"|| right({expression}, {keep_end}) END"
    )
