"""Identifiers the policy speaks of, in one place."""

from __future__ import annotations

PUBLIC = "PUBLIC"  # the pseudo-role of requests without a token

READ = "read"  # a field shown in full
MASK = "mask"  # a field shown, personal data masked
CALL = "call"  # a mutation the subject may call

ROLES = ("CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE")
SCHEMA_ROLES = (*ROLES, PUBLIC)


def field_object(type_name: str, field_name: str) -> str:
    """The policy object of a field: ``"Project.totalArea"``."""
    return f"{type_name}.{field_name}"


def subject(role: str, position: str | None) -> str:
    """The policy subject of an account: ``"STREET:CLERK"``, or just the role."""
    return f"{role}:{position}" if position else role
