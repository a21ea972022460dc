"""The accounts `propgraph demo` prints: one project's whole subsidy chain.

The ENTERPRISE, MANAGER, COMMUNITY, STREET and DISTRICT accounts belong to
one project (its enterprise, its manager, and the offices above it), and that
project has no application yet in any round open today, so README's
subsidy walk-through can be followed with exactly the printed accounts.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.models import Account, Project, SubsidyApplication, SubsidyRound

CHAIN_ROLES = ("ENTERPRISE", "MANAGER", "COMMUNITY", "STREET", "DISTRICT")
# role → (the account's scope column, the project's column it must equal)
_SCOPES = {
    "ENTERPRISE": ("enterprise_id", "enterprise_id"),
    "MANAGER": ("project_id", "id"),
    "COMMUNITY": ("community_id", "community_id"),
    "STREET": ("street_id", "street_id"),
    "DISTRICT": ("district_id", "district_id"),
}


async def demo_chain(engine: AsyncEngine, today: date) -> dict[str, str]:
    """role → username for the first project whose chain is complete and not yet applied.

    Empty when no project qualifies (then the demo prints any account of each role).
    """
    async with engine.connect() as conn:
        applied = set(
            await conn.scalars(
                select(SubsidyApplication.project_id)
                .join(SubsidyRound, SubsidyRound.id == SubsidyApplication.round_id)
                .where(SubsidyRound.opens_on <= today, SubsidyRound.closes_on >= today)
            )
        )
        accounts = (
            await conn.execute(
                select(Account)
                .where(Account.disabled.is_(False), Account.role.in_(CHAIN_ROLES))
                .order_by(Account.id)  # each office's head before its clerk
            )
        ).all()
        first: dict[tuple[str, int], str] = {}
        for account in accounts:
            role = str(account.role)
            key = (role, getattr(account, _SCOPES[role][0]))
            first.setdefault(key, account.username)
        managed = [a.project_id for a in accounts if str(a.role) == "MANAGER"]
        projects = (
            await conn.execute(select(Project).where(Project.id.in_(managed)).order_by(Project.id))
        ).all()
    for project in projects:
        if project.id in applied:
            continue
        chain = {
            role: first.get((role, getattr(project, column)))
            for role, (_, column) in _SCOPES.items()
        }
        if all(chain.values()):
            return {role: username for role, username in chain.items() if username}
    return {}
