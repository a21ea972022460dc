"""The rows a subsidy mutation starts from, read through the viewer's scope.

Status changes and their version checks happen in ``workflows/machine.py``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import SubsidyApplication, SubsidyRound
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_ROUND
from propgraph.workflows.errors import not_found


async def visible_application(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> Any:
    """The application if the viewer may see it; NOT_FOUND otherwise, either way."""
    row = None
    if pk is not None:
        row = (
            await conn.execute(
                SUBSIDY_APPLICATION.scoped(viewer).where(SubsidyApplication.id == pk)
            )
        ).first()
    if row is None:
        raise not_found("subsidy application")
    return row


async def visible_round(conn: AsyncConnection, viewer: Viewer, pk: int | None, field: str) -> Any:
    row = None
    if pk is not None:
        row = (
            await conn.execute(SUBSIDY_ROUND.scoped(viewer).where(SubsidyRound.id == pk))
        ).first()
    if row is None:
        raise not_found("subsidy round", field)
    return row
