"""The Notice type, and the Account type its unread list is made of."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry

from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.notice.dataloaders import ReceiptsByNoticeLoader, ReceiptsRow
from propgraph.resolvers.notice.lists import unread_page
from propgraph.schema.context import Info
from propgraph.schema.graph.enums import Position, Role
from propgraph.schema.relay import Connection, Node, page_args, to_global_id

if TYPE_CHECKING:
    from propgraph.resolvers.notice.kinds import NoticeRow


@strawberry.type(description="An account (a person's login with one role and scope).")
class Account(Node):
    pk: strawberry.Private[int]
    row: strawberry.Private[Any]
    username: str = strawberry.field(description="The login name.")
    name: str = strawberry.field(description="The person's name.")
    phone: str | None = strawberry.field(description="Mobile number (SMS goes there).")
    role: Role = strawberry.field(description="The account's one role.")
    position: Position | None = strawberry.field(description="HEAD or CLERK, for offices.")
    disabled: bool = strawberry.field(description="A disabled account is refused.")
    created_at: datetime = strawberry.field(description="When it was created.")

    @classmethod
    def from_row(cls, row: Any) -> Account:
        return cls(
            id=to_global_id("Account", row.id),
            pk=row.id,
            row=row,
            username=row.username,
            name=row.name,
            phone=row.phone,
            role=row.role,
            position=row.position,
            disabled=row.disabled,
            created_at=row.created_at,
        )

    @strawberry.field(description="The node the account's scope starts at; null for the city.")
    async def scope(self, info: Info) -> Node | None:
        from propgraph.schema.viewer.types import _SCOPE_NODES

        for column, kind, make in _SCOPE_NODES:
            pk = getattr(self.row, column)
            if pk is not None:
                row = await info.context.loaders.get(NodeByIdLoader, kind).load(pk)
                return make(row) if row else None
        return None


@strawberry.type(description="通知: an office's notice to the project managers in its subtree.")
class Notice(Node):
    pk: strawberry.Private[int]
    title: str = strawberry.field(description="The title.")
    body: str = strawberry.field(description="The text.")
    published_at: datetime = strawberry.field(description="When it was published.")
    publisher: str = strawberry.field(description="The account that published it.")
    urged_at: datetime | None = strawberry.field(description="When the unread were last urged.")

    @classmethod
    def from_row(cls, row: NoticeRow) -> Notice:
        return cls(
            id=to_global_id("Notice", row.id),
            pk=row.id,
            title=row.title,
            body=row.body,
            published_at=row.published_at,
            publisher=row.publisher_username,
            urged_at=row.urged_at,
        )

    async def _receipts(self, info: Info) -> ReceiptsRow | None:
        return await info.context.loaders.get(ReceiptsByNoticeLoader).load(self.pk)

    @strawberry.field(description="How many manager accounts it was sent to.")
    async def recipients(self, info: Info) -> int:
        receipts = await self._receipts(info)
        return receipts.recipients if receipts else 0

    @strawberry.field(description="How many of them have read it.")
    async def read_count(self, info: Info) -> int:
        receipts = await self._receipts(info)
        return receipts.read if receipts else 0

    @strawberry.field(description="Whether you have read it (a recipient).")
    async def read(self, info: Info) -> bool:
        receipts = await self._receipts(info)
        return bool(receipts and receipts.read_by_me)

    @strawberry.field(
        description="The recipients who have not read it yet; only the publishing office "
        "sees them (empty for anyone else)."
    )
    async def unread(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Account]:
        page = await unread_page(
            info.context.db, info.context.viewer, self.pk, page_args(first, after)
        )
        return Connection.from_page(page, Account.from_row)
