"""What the database must hold after any load, crash or not (issue 8.5).

For every subsidy application: its audit trail is one unbroken chain from
creation to its current status, its version counts that trail, it has
exactly the pending to-dos its status calls for, and a reported or paid one
has its batch. A transition written in part (a status without its audit
row, an audit row without its status, a to-do left open or missing) breaks
one of these.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.models import AuditEntry, SubsidyApplication, Todo, TodoStatus

SUBJECT = "SubsidyApplication"
# The pending to-dos (kind, role) each status leaves open (workflows/subsidy.py).
PENDING: dict[str, Counter[tuple[str, str]]] = {
    "DRAFT": Counter({("subsidy.submit", "MANAGER"): 1}),
    "RETURNED": Counter({("subsidy.submit", "MANAGER"): 1}),
    "SUBMITTED": Counter({("subsidy.review", "COMMUNITY"): 1}),
    "COMMUNITY_APPROVED": Counter({("subsidy.review", "STREET"): 1}),
    "STREET_APPROVED": Counter({("subsidy.review", "DISTRICT"): 1}),
    "DISTRICT_APPROVED": Counter({("subsidy.report", "DISTRICT"): 1}),
    "REPORTED": Counter(),
    "PAID": Counter(),
}


async def trails(engine: AsyncEngine) -> dict[int, list[str]]:
    """Each application's audit trail, as the statuses it went to, in order."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(AuditEntry.subject_id, AuditEntry.to_status)
            .where(AuditEntry.subject_type == SUBJECT)
            .order_by(AuditEntry.id)
        )
        found: dict[int, list[str]] = defaultdict(list)
        for subject_id, to_status in rows:
            found[subject_id].append(to_status)
    return dict(found)


async def half_written(engine: AsyncEngine) -> list[str]:
    """One line per application whose rows disagree; empty when all is whole."""
    problems: list[str] = []
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one snapshot for every table read below
            await conn.execution_options(isolation_level="REPEATABLE READ")
        apps = (
            await conn.execute(
                select(
                    SubsidyApplication.id,
                    SubsidyApplication.status,
                    SubsidyApplication.version,
                    SubsidyApplication.batch_id,
                )
            )
        ).all()
        audit = (
            await conn.execute(
                select(AuditEntry.subject_id, AuditEntry.from_status, AuditEntry.to_status)
                .where(AuditEntry.subject_type == SUBJECT)
                .order_by(AuditEntry.id)
            )
        ).all()
        pending = (
            await conn.execute(
                select(Todo.subject_id, Todo.kind, Todo.role).where(
                    Todo.subject_type == SUBJECT, Todo.status == TodoStatus.PENDING
                )
            )
        ).all()
    chains: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    for subject_id, from_status, to_status in audit:
        chains[subject_id].append((from_status, to_status))
    open_todos: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for subject_id, kind, role in pending:
        open_todos[subject_id][(kind, str(getattr(role, "value", role)))] += 1
    known = set()
    for pk, status, version, batch_id in apps:
        status = str(getattr(status, "value", status))
        known.add(pk)
        chain = chains.get(pk, [])
        if not chain or chain[0] != (None, "DRAFT"):
            problems.append(f"application {pk}: its trail does not start with its creation")
        elif any(prev[1] != step[0] for prev, step in pairwise(chain)):
            problems.append(f"application {pk}: its trail is broken: {chain}")
        elif chain[-1][1] != status:
            problems.append(f"application {pk} is {status} but its trail ends at {chain[-1][1]}")
        if version != len(chain):
            problems.append(f"application {pk}: version {version} after {len(chain)} transitions")
        if open_todos.get(pk, Counter()) != PENDING[status]:
            problems.append(f"application {pk} is {status} with pending to-dos {open_todos[pk]}")
        if (batch_id is not None) != (status in ("REPORTED", "PAID")):
            problems.append(f"application {pk} is {status} with batch {batch_id}")
    for pk in chains.keys() - known:
        problems.append(f"audit entries for application {pk}, which does not exist")
    return problems


def lost_or_duplicated(
    acked: dict[str, list[str]], found: dict[int, list[str]], unanswered: list[tuple[str, str]]
) -> list[str]:
    """Every application's trail is exactly what its clients were told, plus at most the one
    transition whose answer never came (the server died after its commit)."""
    from propgraph.schema.relay import from_global_id

    pending = dict(unanswered)
    creates_unanswered = sum(1 for key, _ in unanswered if key.startswith("new "))
    problems = []
    acked_by_pk = {}
    for global_id, statuses in acked.items():
        ref = from_global_id(global_id)
        assert ref is not None, global_id
        acked_by_pk[ref[1]] = (global_id, statuses)
    for pk in sorted(acked_by_pk.keys() | found.keys()):
        global_id, told = acked_by_pk.get(pk, (None, []))
        trail = found.get(pk, [])
        if trail == told:
            continue
        if global_id is not None and global_id in pending and trail == [*told, pending[global_id]]:
            continue  # committed, then the server died before answering
        if global_id is None and trail == ["DRAFT"] and creates_unanswered > 0:
            creates_unanswered -= 1  # created, then the server died before answering
            continue
        problems.append(f"application {pk}: told {told}, the trail holds {trail}")
    return problems
