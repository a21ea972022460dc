"""Root fields of the owners area."""

from __future__ import annotations

from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.owners.ratings import visible_projects
from propgraph.resolvers.paging import Page
from propgraph.schema.context import Info
from propgraph.schema.graph.types import Project
from propgraph.schema.owners.types import city_ratings
from propgraph.schema.relay import Connection, page_args


async def rating_ranking(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Project]:
    ratings = city_ratings(info)
    ranked = await ratings.ranked_ids()
    visible = await visible_projects(info.context.db, info.context.viewer, ranked)
    ordered = [pid for pid in ranked if pid in visible]
    args = page_args(first, after)
    chosen = ordered[args.offset : args.offset + args.first]
    loaded = await info.context.loaders.get(NodeByIdLoader, PROJECT).load_many(chosen)
    rows = [row for row in loaded if row is not None]
    page = Page(rows, len(ordered), args.offset, len(ordered) > args.offset + args.first)
    return Connection.from_page(page, Project.from_row)
