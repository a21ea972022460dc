"""A to-do list of one status reads that status's branch of the rule only, and
finds exactly the to-dos the whole rule finds in that status, for every account."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from propgraph.authz.viewer import compile_viewer, load_account
from propgraph.db import RequestDB
from propgraph.models import Account, Todo, TodoStatus
from propgraph.resolvers.compiled.sql import Params, select_text
from propgraph.resolvers.workflow.kinds import TODO, todos_in
from tests.support.app import running_app


async def test_each_status_finds_what_the_whole_rule_finds(fresh_tiny_url: str) -> None:
    async with running_app(fresh_tiny_url) as app:
        services = app.services
        db = RequestDB(services.engine)
        try:
            accounts = list(await db.all(select(Account)))
            now = datetime(2026, 5, 1, tzinfo=UTC)
            offices = ("district_id", "street_id", "community_id", "enterprise_id", "project_id")
            async with db.transaction() as conn:
                # One to-do for each account's role and office, every other one done
                # (by some account), so both branches of the rule have rows.
                for index, account in enumerate(accounts):
                    done = index % 2 == 1
                    await conn.execute(
                        insert(Todo).values(
                            kind="CHECK",
                            title=f"to-do {index}",
                            subject_type="Unit",
                            subject_id=1,
                            role=account.role,
                            status=TodoStatus.DONE if done else TodoStatus.PENDING,
                            created_at=now,
                            done_at=now if done else None,
                            done_by_id=accounts[index // 3].id if done else None,
                            **{name: getattr(account, name, None) for name in offices},
                        )
                    )
            seen = {status: 0 for status in TodoStatus}
            for username in (account.username for account in accounts):
                account = await load_account(db, username)
                assert account is not None
                viewer = await compile_viewer(
                    db, account, services.policies[account.role], services.today()
                )
                for status in TodoStatus:
                    whole = await db.all(
                        TODO.scoped(viewer).where(Todo.status == status).order_by(Todo.id)
                    )
                    narrow = await db.all(todos_in(viewer, status).order_by(Todo.id))
                    assert [r.id for r in narrow] == [r.id for r in whole], (username, status)
                    seen[status] += len(whole)
                    text = select_text(todos_in(viewer, status), Params())
                    # the other branch is not in the statement at all
                    other = "done_by_id" if status is TodoStatus.PENDING else "'PENDING'"
                    assert other not in text, (username, status, text)
            assert all(seen.values()), seen
        finally:
            await db.close()
