"""The Account node kind: the accounts inside the viewer's scope.

An account belongs to the node its scope column names. A viewer sees the
accounts whose node it sees, of the roles it looks after:

- CITY: every account;
- an office (DISTRICT, STREET, COMMUNITY): the office accounts of its own
  node and of every office below it, and the MANAGER accounts of the
  projects in its subtree (the recipients of its notices);
- ENTERPRISE: its own accounts and the MANAGER accounts of its projects;
- anyone else: none (``me`` is their own account).

Who may *change* an account is narrower (workflows/accounts.py); this is
what the `accounts` list, `node(id:)` and `Notice.unread` show.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select, true

from propgraph.authz.scope import Predicate
from propgraph.authz.viewer import Viewer
from propgraph.models import Account, Community, District, Project, Street
from propgraph.models.enums import Role
from propgraph.resolvers.graph.kinds import NodeKind


def accounts_visible(viewer: Viewer) -> Predicate:
    account = viewer.account
    if account is None:
        return false()
    role = Role(account.role)
    scope = viewer.scope
    managers = and_(
        Account.role == Role.MANAGER,
        Account.project_id.in_(select(Project.id).where(scope.projects())),
    )
    if role == Role.CITY:
        return true()
    if role in (Role.DISTRICT, Role.STREET, Role.COMMUNITY):
        return or_(
            and_(
                Account.role == Role.DISTRICT,
                Account.district_id.in_(select(District.id).where(scope.districts())),
            ),
            and_(
                Account.role == Role.STREET,
                Account.street_id.in_(select(Street.id).where(scope.streets())),
            ),
            and_(
                Account.role == Role.COMMUNITY,
                Account.community_id.in_(select(Community.id).where(scope.communities())),
            ),
            managers,
        )
    if role == Role.ENTERPRISE:
        return or_(Account.enterprise_id == account.enterprise_id, managers)
    return false()


def account_columns() -> Any:
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


ACCOUNT = NodeKind("Account", Account, None, account_columns, row_filter=accounts_visible)
