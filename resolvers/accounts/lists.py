"""The `accounts` list: the scoped accounts, narrowed by the caller's filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from propgraph.authz.viewer import Viewer
from propgraph.models import Account
from propgraph.resolvers.accounts.kinds import ACCOUNT


@dataclass(frozen=True)
class AccountFilterKey:
    role: str | None = None
    position: str | None = None
    disabled: bool | None = None


def accounts_query(viewer: Viewer, filter: AccountFilterKey) -> Any:
    query = ACCOUNT.scoped(viewer)
    if filter.role is not None:
        query = query.where(Account.role == filter.role)
    if filter.position is not None:
        query = query.where(Account.position == filter.position)
    if filter.disabled is not None:
        query = query.where(Account.disabled.is_(filter.disabled))
    return query
