"""Root lists of the graph (``Query.districts`` …): one scoped page each."""

from __future__ import annotations

from typing import Any

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.resolvers.graph.filters import ProjectFilterKey
from propgraph.resolvers.graph.kinds import NodeKind
from propgraph.resolvers.paging import Page, PageArgs, fetch_page


async def root_page(
    db: RequestDB,
    viewer: Viewer,
    kind: NodeKind,
    args: PageArgs,
    row_filter: ProjectFilterKey | None = None,
) -> Page[Any]:
    """A page of every row of ``kind`` the viewer may see, narrowed by ``row_filter``."""
    query = kind.scoped(viewer)
    if row_filter is not None:
        for predicate in row_filter.predicates():
            query = query.where(predicate)
    return await fetch_page(db, query, kind.id, args)
