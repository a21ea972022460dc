"""Per-request loaders of notices: receipts counted per notice, one statement per batch."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import case, func, select
from strawberry.dataloader import DataLoader

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import NoticeRecipient
from propgraph.resolvers.sql import ids_in


class ReceiptsRow(Protocol):
    """A notice's receipts: recipients, how many read it, whether the viewer did (0/1)."""

    notice_id: int
    recipients: int
    read: int
    mine: int
    read_by_me: int


class ReceiptsByNoticeLoader(DataLoader[int, ReceiptsRow | None]):
    """(recipients, read, read by the viewer) of each notice (the parent was scoped)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        me = viewer.account.id if viewer.account else -1

        async def load(ids: list[int]) -> list[ReceiptsRow | None]:
            r = NoticeRecipient
            rows = await db.all(
                select(
                    r.notice_id,
                    func.count().label("recipients"),
                    func.count(r.read_at).label("read"),
                    func.max(case((r.account_id == me, 1), else_=0)).label("mine"),
                    func.max(
                        case(((r.account_id == me) & r.read_at.is_not(None), 1), else_=0)
                    ).label("read_by_me"),
                )
                .where(ids_in(r.notice_id, ids, db.dialect))
                .group_by(r.notice_id)
            )
            found: dict[int, ReceiptsRow] = {row.notice_id: row for row in rows}
            return [found.get(pk) for pk in ids]

        super().__init__(load_fn=load)
