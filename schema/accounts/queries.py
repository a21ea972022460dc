"""``accounts`` (offices and enterprises) and ``policyRules`` (CITY)."""

from __future__ import annotations

from propgraph.models import Account as AccountRow
from propgraph.resolvers.accounts.lists import AccountFilterKey, accounts_query
from propgraph.resolvers.paging import fetch_page
from propgraph.schema.accounts.inputs import AccountFilter
from propgraph.schema.accounts.types import PolicyRule
from propgraph.schema.context import Info
from propgraph.schema.notice.types import Account
from propgraph.schema.relay import Connection, bad_input, page_args
from propgraph.schema.text import text_problem
from propgraph.workflows import policy_rules as rules


async def accounts(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: AccountFilter | None = None,
) -> Connection[Account]:
    key = AccountFilterKey()
    if filter is not None:
        key = AccountFilterKey(
            role=filter.role.value if filter.role else None,
            position=filter.position.value if filter.position else None,
            disabled=filter.disabled,
        )
    query = accounts_query(info.context.viewer, key)
    page = await fetch_page(info.context.db, query, AccountRow.id, page_args(first, after))
    return Connection.from_page(page, Account.from_row)


async def policy_rules(info: Info, subject: str | None = None) -> list[PolicyRule]:
    # CONTRACT names this a String argument, outside an input type: checked here.
    problem = text_problem(subject, 255) if subject is not None else None
    if problem:
        raise bad_input(f"`subject` {problem}.")
    stored = await rules.read(info.context.db, subject)
    return [PolicyRule.from_rule(r) for r in stored]
