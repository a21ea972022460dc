"""Global ids in mutation inputs: decoded to a key of the expected type, or None."""

from __future__ import annotations

from propgraph.schema.relay import from_global_id


def pk_of(global_id: str | None, type_name: str) -> int | None:
    """The primary key if ``global_id`` names a ``type_name``; None otherwise.

    None leads to NOT_FOUND, the same answer as an id outside the scope.
    """
    if not global_id:
        return None
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]
