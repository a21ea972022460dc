"""The viewer: who is asking, compiled once per request into a frozen object.

It carries the account, the role's policy (visible and masked fields) and the
scope predicates: Hasura's "row filter + column set". Resolvers and loaders
only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from propgraph.authz.permissions import PUBLIC
from propgraph.authz.policy import RolePolicy
from propgraph.authz.scope import (
    NOTHING,
    CityScope,
    DelegateScope,
    DirectoryScope,
    EnterpriseScope,
    OwnerScope,
    ProjectScope,
    Scope,
    SubtreeScope,
)
from propgraph.db import RequestDB
from propgraph.models import Account, Delegation


@dataclass(frozen=True)
class AccountRow:
    """The columns of an account the request needs; read fresh per request."""

    id: int
    username: str
    name: str
    role: str
    position: str | None
    phone: str | None
    disabled: bool
    district_id: int | None
    street_id: int | None
    community_id: int | None
    enterprise_id: int | None
    project_id: int | None
    owner_id: int | None
    delegation_id: int | None

    @classmethod
    def from_row(cls, row: Any) -> AccountRow:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


ACCOUNT_COLUMNS = [getattr(Account, name) for name in AccountRow.__dataclass_fields__]


async def load_account(db: RequestDB, username: str) -> AccountRow | None:
    row = (await db.execute(select(*ACCOUNT_COLUMNS).where(Account.username == username))).first()
    return AccountRow.from_row(row) if row else None


@dataclass(frozen=True)
class Viewer:
    account: AccountRow | None
    policy: RolePolicy
    scope: Scope
    # For a delegate: the delegation's owner and project while it is active.
    delegation: tuple[int, int] | None = None

    @property
    def role(self) -> str:
        return self.policy.role

    @property
    def position(self) -> str | None:
        return self.account.position if self.account else None

    def masks(self, type_name: str, field_name: str) -> bool:
        return self.policy.masks(f"{type_name}.{field_name}")


def public_viewer(policy: RolePolicy) -> Viewer:
    assert policy.role == PUBLIC
    return Viewer(account=None, policy=policy, scope=DirectoryScope())


async def compile_viewer(
    db: RequestDB, account: AccountRow, policy: RolePolicy, today: date
) -> Viewer:
    """Turn the account and its role's scope rule into row predicates."""
    rule = policy.scope_rule
    scope: Scope
    delegation = None
    if rule == "city":
        scope = CityScope()
    elif rule.endswith("_subtree"):
        level = rule.removesuffix("_subtree")
        scope = SubtreeScope(level=level, node_id=getattr(account, f"{level}_id"))
    elif rule == "managed_projects":
        scope = EnterpriseScope(enterprise_id=account.enterprise_id)  # type: ignore[arg-type]
    elif rule == "managed_project":
        scope = ProjectScope(project_id=account.project_id)  # type: ignore[arg-type]
    elif rule == "own_units":
        scope = OwnerScope(owner_id=account.owner_id)  # type: ignore[arg-type]
    elif rule == "delegated_project":
        row = (
            await db.execute(
                select(Delegation.id, Delegation.owner_id, Delegation.project_id).where(
                    Delegation.id == account.delegation_id,
                    Delegation.revoked_at.is_(None),
                    Delegation.starts_on <= today,
                    Delegation.ends_on >= today,
                )
            )
        ).first()
        # A revoked or expired delegation leaves the delegate with nothing.
        if row:
            delegation = (row.owner_id, row.project_id)
            scope = DelegateScope(
                owner_id=row.owner_id, project_id=row.project_id, delegation_id=row.id
            )
        else:
            scope = NOTHING
    else:
        raise ValueError(f"unknown scope rule {rule!r} for role {policy.role}")
    return Viewer(account=account, policy=policy, scope=scope, delegation=delegation)
