"""Masking of personal data: ``4403**********1234``, ``138****5678``."""

from __future__ import annotations


def mask_middle(value: str | None, keep_start: int, keep_end: int) -> str | None:
    if value is None:
        return None
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(value)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_id_number(value: str | None) -> str | None:
    return mask_middle(value, 4, 4)


def mask_phone(value: str | None) -> str | None:
    return mask_middle(value, 3, 4)


def mask_bank_account(value: str | None) -> str | None:
    return mask_middle(value, 4, 4)
