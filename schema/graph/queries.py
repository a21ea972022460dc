"""Root lists of the graph. Each is scoped: an office sees its subtree only."""

from __future__ import annotations

from typing import Any

from propgraph.resolvers.graph.filters import ProjectFilterKey
from propgraph.resolvers.graph.kinds import (
    COMMUNITY,
    DISTRICT,
    ENTERPRISE,
    PROJECT,
    STREET,
    NodeKind,
)
from propgraph.resolvers.graph.lists import root_page
from propgraph.resolvers.paging import Page
from propgraph.schema.context import Info
from propgraph.schema.graph.inputs import ProjectFilter
from propgraph.schema.graph.types import Community, District, Enterprise, Project, Street
from propgraph.schema.relay import Connection, page_args


async def _root_page(
    info: Info,
    kind: NodeKind,
    first: int | None,
    after: str | None,
    row_filter: ProjectFilterKey | None = None,
) -> Page[Any]:
    context = info.context
    return await root_page(context.db, context.viewer, kind, page_args(first, after), row_filter)


async def districts(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[District]:
    return Connection.from_page(await _root_page(info, DISTRICT, first, after), District.from_row)


async def streets(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Street]:
    return Connection.from_page(await _root_page(info, STREET, first, after), Street.from_row)


async def communities(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Community]:
    return Connection.from_page(await _root_page(info, COMMUNITY, first, after), Community.from_row)


async def projects(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: ProjectFilter | None = None,
) -> Connection[Project]:
    page = await _root_page(info, PROJECT, first, after, filter.key() if filter else None)
    return Connection.from_page(page, Project.from_row)


async def enterprises(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Enterprise]:
    return Connection.from_page(
        await _root_page(info, ENTERPRISE, first, after), Enterprise.from_row
    )
