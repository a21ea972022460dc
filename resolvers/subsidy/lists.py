"""Root lists of the subsidy workflow (``Query.subsidyApplications`` …), scoped
like the graph."""

from __future__ import annotations

from typing import Any

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import SubsidyApplication, SubsidyBatch, SubsidyRound, SubsidyStatus
from propgraph.resolvers.paging import Page, PageArgs, fetch_page
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION, SUBSIDY_BATCH, SUBSIDY_ROUND


async def rounds(db: RequestDB, viewer: Viewer) -> list[Any]:
    """Every round the viewer may see, the latest window first."""
    return list(
        await db.all(
            SUBSIDY_ROUND.scoped(viewer).order_by(
                SubsidyRound.opens_on.desc(), SubsidyRound.id.desc()
            )
        )
    )


async def application_page(
    db: RequestDB,
    viewer: Viewer,
    args: PageArgs,
    *,
    status: SubsidyStatus | None = None,
    round_id: int | None = None,
    by_round: bool = False,
) -> Page[Any]:
    """A page of the applications the viewer may see; ``by_round`` narrows them to
    ``round_id`` (``None`` then matches nothing: an id that decoded to nothing)."""
    query = SUBSIDY_APPLICATION.scoped(viewer)
    if status is not None:
        query = query.where(SubsidyApplication.status == status)
    if by_round:
        query = query.where(SubsidyApplication.round_id == round_id)
    return await fetch_page(db, query, SubsidyApplication.id, args)


async def batch_page(
    db: RequestDB,
    viewer: Viewer,
    args: PageArgs,
    *,
    round_id: int | None = None,
    by_round: bool = False,
) -> Page[Any]:
    """A page of the batches the viewer may see; ``by_round`` as for applications."""
    query = SUBSIDY_BATCH.scoped(viewer)
    if by_round:
        query = query.where(SubsidyBatch.round_id == round_id)
    return await fetch_page(db, query, SubsidyBatch.id, args)
