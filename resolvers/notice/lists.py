"""The notices a viewer sees, and a notice's unread recipients."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import Account, Notice, NoticeRecipient
from propgraph.resolvers.notice.kinds import NOTICE, publisher_office
from propgraph.resolvers.paging import Page, PageArgs, fetch_page


def account_columns() -> Select[*tuple[Any, ...]]:
    """The columns the Account type reads, scope ids included."""
    return select(
        Account.id,
        Account.username,
        Account.name,
        Account.phone,
        Account.role,
        Account.position,
        Account.disabled,
        Account.created_at,
        Account.district_id,
        Account.street_id,
        Account.community_id,
        Account.enterprise_id,
        Account.project_id,
        Account.owner_id,
    )


async def notice_page(db: RequestDB, viewer: Viewer, args: PageArgs) -> Page[Any]:
    """A page of the notices the viewer published or was sent, the newest first."""
    return await fetch_page(db, NOTICE.scoped(viewer), Notice.id.desc(), args)


async def unread_page(db: RequestDB, viewer: Viewer, notice_id: int, args: PageArgs) -> Page[Any]:
    """A page of the notice's recipients who have not read it; empty unless the
    viewer's office published it."""
    published_by_viewer = select(Notice.id).where(publisher_office(viewer))
    query = (
        account_columns()
        .join(NoticeRecipient, NoticeRecipient.account_id == Account.id)
        .where(
            NoticeRecipient.notice_id == notice_id,
            NoticeRecipient.read_at.is_(None),
            NoticeRecipient.notice_id.in_(published_by_viewer),
        )
    )
    return await fetch_page(db, query, Account.id, args)
