"""The Viewer type: who is signed in, and the node their scope starts at."""

from __future__ import annotations

from typing import Any

import strawberry

from propgraph.authz.viewer import AccountRow
from propgraph.resolvers import viewer as viewer_reads
from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import COMMUNITY, DISTRICT, ENTERPRISE, OWNER, PROJECT, STREET
from propgraph.resolvers.owners.kinds import DELEGATION
from propgraph.schema.context import Info
from propgraph.schema.graph.enums import Position, Role
from propgraph.schema.graph.types import Community, District, Enterprise, Owner, Project, Street
from propgraph.schema.owners.types import Delegation
from propgraph.schema.relay import Node
from propgraph.schema.workflow import queries as workflow

# Which node an account's scope column points at.
_SCOPE_NODES: list[tuple[str, Any, Any]] = [
    ("district_id", DISTRICT, District.from_row),
    ("street_id", STREET, Street.from_row),
    ("community_id", COMMUNITY, Community.from_row),
    ("enterprise_id", ENTERPRISE, Enterprise.from_row),
    ("project_id", PROJECT, Project.from_row),
    ("owner_id", OWNER, Owner.from_row),
]


@strawberry.type(description="The signed-in account.")
class Viewer:
    account: strawberry.Private[AccountRow]
    username: str = strawberry.field(description="Sign-in name.")
    name: str = strawberry.field(description="The person's or office's name.")
    role: Role = strawberry.field(description="The account's one role.")
    position: Position | None = strawberry.field(description="HEAD or CLERK, for offices.")

    @classmethod
    def from_account(cls, account: AccountRow) -> Viewer:
        return cls(
            account=account,
            username=account.username,
            name=account.name,
            role=account.role,  # type: ignore[arg-type]
            position=account.position,  # type: ignore[arg-type]
        )

    @strawberry.field(
        description="The node the account's scope starts at: its district, street, community, "
        "enterprise, project or owner record; the delegated project for a delegate; "
        "null for the city."
    )
    async def scope(self, info: Info) -> Node | None:
        viewer = info.context.viewer
        if viewer.delegation is not None:
            row = await info.context.loaders.get(NodeByIdLoader, PROJECT).load(viewer.delegation[1])
            return Project.from_row(row) if row else None
        for column, kind, make in _SCOPE_NODES:
            pk = getattr(self.account, column)
            if pk is not None:
                row = await info.context.loaders.get(NodeByIdLoader, kind).load(pk)
                return make(row) if row else None
        return None

    @strawberry.field(description="The delegations you gave as an owner.")
    async def delegations(self, info: Info) -> list[Delegation]:
        if self.account.owner_id is None:
            return []
        today = info.context.services.today()
        rows = await viewer_reads.delegations_given(info.context.db, self.account.owner_id)
        return [Delegation.from_row(row, today) for row in rows]

    @strawberry.field(
        description="The delegation you act under as a delegate, while it is in force."
    )
    async def delegation(self, info: Info) -> Delegation | None:
        if self.account.delegation_id is None:
            return None
        # Scoped like node(id): out of force, the delegate sees nothing at all.
        row = await info.context.loaders.get(NodeByIdLoader, DELEGATION).load(
            self.account.delegation_id
        )
        return Delegation.from_row(row, info.context.services.today()) if row else None

    notifications = strawberry.field(
        resolver=workflow.notifications,
        description="Messages sent to you or to your phone number, newest first.",
    )
    unread_notifications = strawberry.field(
        resolver=workflow.unread_notifications, description="How many of them you have not read."
    )


async def me(info: Info) -> Viewer | None:
    account = info.context.viewer.account
    return Viewer.from_account(account) if account else None
