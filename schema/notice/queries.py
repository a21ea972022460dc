"""``notices``: published by the viewer's office, or addressed to the viewer."""

from __future__ import annotations

from propgraph.models import Notice as NoticeRow
from propgraph.resolvers.notice.kinds import NOTICE
from propgraph.resolvers.paging import fetch_page
from propgraph.schema.context import Info
from propgraph.schema.notice.types import Notice
from propgraph.schema.relay import Connection, page_args


async def notices(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Notice]:
    query = NOTICE.scoped(info.context.viewer)
    page = await fetch_page(info.context.db, query, NoticeRow.id.desc(), page_args(first, after))
    return Connection.from_page(page, Notice.from_row)
