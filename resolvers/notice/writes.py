"""The statements the notice mutations run inside their transaction; the rest of
what a notice writes (recipients, receipts, urging) is in ``workflows/notice.py``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow, Viewer
from propgraph.models import Notice, NoticeRecipient
from propgraph.resolvers.notice.kinds import NOTICE, NoticeRow, publisher_office
from propgraph.resolvers.rows import reread
from propgraph.workflows.errors import not_found


async def addressed_notice(conn: AsyncConnection, account_id: int, pk: int | None) -> NoticeRow:
    """The notice if it was sent to the account; NOT_FOUND otherwise, as if it did
    not exist."""
    row = None
    if pk is not None:
        row = (
            await conn.execute(
                NOTICE.columns().where(
                    Notice.id == pk,
                    Notice.id.in_(
                        select(NoticeRecipient.notice_id).where(
                            NoticeRecipient.account_id == account_id
                        )
                    ),
                )
            )
        ).first()
    if row is None:
        raise not_found("notice")
    return row


async def published_notice(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> NoticeRow:
    """The notice if the viewer's office published it; NOT_FOUND otherwise."""
    row = None
    if pk is not None:
        row = (
            await conn.execute(NOTICE.columns().where(Notice.id == pk, publisher_office(viewer)))
        ).first()
    if row is None:
        raise not_found("notice")
    return row


async def insert_notice(
    conn: AsyncConnection,
    *,
    title: str,
    body: str,
    status: str,
    publisher: AccountRow,
    now: datetime,
) -> NoticeRow:
    """The notice as its publisher's office publishes it, read back with
    ``NOTICE.columns()``."""
    pk = (
        await conn.execute(
            insert(Notice)
            .values(
                title=title,
                body=body,
                status=status,
                publisher_id=publisher.id,
                publisher_username=publisher.username,
                publisher_role=publisher.role,
                publisher_position=publisher.position,
                district_id=publisher.district_id,
                street_id=publisher.street_id,
                community_id=publisher.community_id,
                published_at=now,
                version=1,
            )
            .returning(Notice.id)
        )
    ).scalar_one()
    return await reread(conn, NOTICE, pk)
