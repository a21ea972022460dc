"""Listing accounts with their scope node, for `propgraph users` and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.models import (
    Account,
    Community,
    Delegation,
    District,
    Enterprise,
    Owner,
    Project,
    Street,
)
from propgraph.schema.relay import to_global_id

CITY_NAME = "深圳市"

# scope column → (node type, model, name column)
_SCOPE_NODES: dict[str, tuple[str, Any, Any]] = {
    "district_id": ("District", District, District.name),
    "street_id": ("Street", Street, Street.name),
    "community_id": ("Community", Community, Community.name),
    "enterprise_id": ("Enterprise", Enterprise, Enterprise.name),
    "project_id": ("Project", Project, Project.name),
    "owner_id": ("Owner", Owner, Owner.name),
}


@dataclass(frozen=True)
class AccountListing:
    username: str
    role: str
    position: str | None
    scope_id: str | None
    scope_name: str | None
    disabled: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "position": self.position,
            "scope_id": self.scope_id,
            "scope_name": self.scope_name,
        }


async def list_accounts(
    engine: AsyncEngine, role: str | None = None, username: str | None = None
) -> list[AccountListing]:
    query = select(Account).order_by(Account.id)
    if role:
        query = query.where(Account.role == role)
    if username:
        query = query.where(Account.username == username)
    async with engine.connect() as conn:
        accounts = (await conn.execute(query)).all()
        names: dict[tuple[str, int], str] = {}
        for column, (type_name, model, name_col) in _SCOPE_NODES.items():
            ids = {getattr(a, column) for a in accounts if getattr(a, column) is not None}
            if ids:
                rows = await conn.execute(select(model.id, name_col).where(model.id.in_(ids)))
                names.update({(type_name, pk): name for pk, name in rows})
        delegation_ids = {a.delegation_id for a in accounts if a.delegation_id}
        delegated: dict[int, tuple[int, str]] = {}
        if delegation_ids:
            rows = await conn.execute(
                select(Delegation.id, Project.id, Project.name)
                .join(Project, Project.id == Delegation.project_id)
                .where(Delegation.id.in_(delegation_ids))
            )
            delegated = {did: (pid, pname) for did, pid, pname in rows}

    listings = []
    for a in accounts:
        scope_id: str | None = None
        scope_name: str | None = CITY_NAME if a.role == "CITY" else None
        if a.delegation_id and a.delegation_id in delegated:
            pid, scope_name = delegated[a.delegation_id]
            scope_id = to_global_id("Project", pid)
        for column, (type_name, _, _) in _SCOPE_NODES.items():
            pk = getattr(a, column)
            if pk is not None:
                scope_id = to_global_id(type_name, pk)
                scope_name = names.get((type_name, pk))
                break
        listings.append(
            AccountListing(
                username=a.username,
                role=str(a.role),
                position=str(a.position) if a.position else None,
                scope_id=scope_id,
                scope_name=scope_name,
                disabled=a.disabled,
            )
        )
    return listings


async def has_accounts(engine: AsyncEngine) -> bool:
    """Whether anyone can sign in yet: the demo seeds a database that has no accounts."""
    async with engine.connect() as conn:
        return (await conn.scalar(select(Account.id).limit(1))) is not None
