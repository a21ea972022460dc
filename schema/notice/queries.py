"""``notices``: published by the viewer's office, or addressed to the viewer."""

from __future__ import annotations

from propgraph.resolvers.notice.lists import notice_page
from propgraph.schema.context import Info
from propgraph.schema.notice.types import Notice
from propgraph.schema.relay import Connection, page_args


async def notices(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Notice]:
    page = await notice_page(info.context.db, info.context.viewer, page_args(first, after))
    return Connection.from_page(page, Notice.from_row)
