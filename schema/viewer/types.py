"""The Viewer type: who is signed in, and the node their scope starts at."""

from __future__ import annotations

from typing import Any

import strawberry

from propgraph.authz.viewer import AccountRow
from propgraph.resolvers.graph.kinds import COMMUNITY, DISTRICT, ENTERPRISE, OWNER, PROJECT, STREET
from propgraph.schema.context import Info
from propgraph.schema.graph.enums import Position, Role
from propgraph.schema.graph.types import Community, District, Enterprise, Owner, Project, Street
from propgraph.schema.relay import Node

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
            row = await info.context.loaders.node(PROJECT).load(viewer.delegation[1])
            return Project.from_row(row) if row else None
        for column, kind, make in _SCOPE_NODES:
            pk = getattr(self.account, column)
            if pk is not None:
                row = await info.context.loaders.node(kind).load(pk)
                return make(row) if row else None
        return None


async def me(info: Info) -> Viewer | None:
    account = info.context.viewer.account
    return Viewer.from_account(account) if account else None
