"""The Notice node kind, filtered by who the viewer is (like to-dos).

A notice shows for every account of the office that published it (same role
and scope node) and for each MANAGER account it was addressed to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import and_, false, or_, select

from propgraph.authz.scope import Predicate
from propgraph.authz.viewer import Viewer
from propgraph.models import Notice, NoticeRecipient
from propgraph.models.enums import Role
from propgraph.resolvers.graph.kinds import NodeKind


class NoticeRow(Protocol):
    """A row of ``NOTICE.columns()``."""

    id: int
    title: str
    body: str
    status: str
    publisher_username: str
    publisher_role: Role
    district_id: int | None
    street_id: int | None
    community_id: int | None
    published_at: datetime
    urged_at: datetime | None
    version: int


OFFICES = {Role.CITY: None, Role.DISTRICT: "district_id", Role.STREET: "street_id",
           Role.COMMUNITY: "community_id"}  # fmt: skip


def publisher_office(viewer: Viewer) -> Predicate:
    """Notices published by the viewer's office."""
    account = viewer.account
    if account is None or Role(account.role) not in OFFICES:
        return false()
    column = OFFICES[Role(account.role)]
    same = Notice.publisher_role == account.role
    if column is None:
        return same
    return and_(same, getattr(Notice, column) == getattr(account, column))


def notices_for(viewer: Viewer) -> Predicate:
    account = viewer.account
    if account is None:
        return false()
    addressed = Notice.id.in_(
        select(NoticeRecipient.notice_id).where(NoticeRecipient.account_id == account.id)
    )
    return or_(publisher_office(viewer), addressed)


NOTICE = NodeKind(
    "Notice",
    Notice,
    None,
    lambda: select(
        Notice.id,
        Notice.title,
        Notice.body,
        Notice.status,
        Notice.publisher_username,
        Notice.publisher_role,
        Notice.district_id,
        Notice.street_id,
        Notice.community_id,
        Notice.published_at,
        Notice.urged_at,
        Notice.version,
    ),
    row_filter=notices_for,
)
