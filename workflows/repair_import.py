"""导入分摊: a draft repair project takes edited shares back; the budget becomes their sum.

The sheet names each of the project's sharing units exactly once (no other
unit, none missing, none twice) with its new amount; the units themselves do
not change. The disbursement plan must still add up to the new budget:

- stages given with the import replace the plan (checked like at creation);
- otherwise a plan that still adds up stays (the amounts were only moved
  between units), a one-stage plan takes the new budget, and a plan of
  several stages is refused (``stages``): nothing is scaled behind the
  applicant's back, who gives the new stages with the import instead.

``check_units`` and ``replan`` decide, without a database; ``import_shares``
runs the change inside the caller's transaction through ``repair.MACHINE``
(version, role, status, audit entry).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow
from propgraph.models import RepairShare, RepairStage, Unit
from propgraph.models.base import Cents
from propgraph.models.repair import RepairKind
from propgraph.workflows import repair, repair_steps
from propgraph.workflows.errors import invalid
from propgraph.workflows.repair import MAX_AMOUNT, StagePlan, check_stage_count, check_stages

SHOWN = 10  # units named in a message at most


@dataclass(frozen=True)
class ImportedShare:
    """A row of the sheet: its number, the unit's key (``None``: the id names no unit),
    the id as written, and the amount."""

    row: int
    unit: int | None
    label: str
    amount: Decimal


def check_units(rows: Sequence[ImportedShare], sharing: Mapping[int, str]) -> dict[int, Decimal]:
    """Unit → amount, if the rows name each of ``sharing`` (unit → its number) exactly once."""
    amounts: dict[int, Decimal] = {}
    first_row: dict[int, int] = {}
    for share in rows:
        if share.unit is None or share.unit not in sharing:
            raise invalid(
                "file",
                f"Row {share.row}: {share.label[:64]!r} is not one of this project's "
                "sharing units.",
            )
        if share.unit in amounts:
            raise invalid(
                "file",
                f"Row {share.row}: unit {sharing[share.unit]} is listed twice "
                f"(also in row {first_row[share.unit]}).",
            )
        amounts[share.unit] = share.amount
        first_row[share.unit] = share.row
    missing = [sharing[unit] for unit in sorted(set(sharing) - set(amounts))]
    if missing:
        named = ", ".join(missing[:SHOWN]) + (", …" if len(missing) > SHOWN else "")
        raise invalid("file", f"The sheet lacks {len(missing)} sharing unit(s): {named}.")
    return amounts


def budget_of(amounts: Mapping[int, Decimal]) -> Decimal:
    """The new budget: the imported amounts' sum, within what a budget may be."""
    budget = sum(amounts.values(), Decimal("0.00"))
    if budget > MAX_AMOUNT:
        raise invalid("file", f"The shares add up to {budget} yuan, over {MAX_AMOUNT}.")
    return budget


def replan(
    kind: RepairKind,
    budget: Decimal,
    current: Sequence[StagePlan],
    given: Sequence[StagePlan] | None,
) -> list[StagePlan]:
    """The disbursement plan for ``budget``: ``given``, or ``current`` if it still fits."""
    if given is not None:
        check_stages(given, budget)
        check_stage_count(kind, given)
        return list(given)
    planned = sum((s.amount for s in current), Decimal("0.00"))
    if planned == budget:
        return list(current)
    if len(current) == 1:
        return [StagePlan(current[0].name, budget)]
    raise invalid(
        "stages",
        f"The imported shares add up to {budget} yuan and the plan's {len(current)} stages "
        f"to {planned}: give the new stages with the import.",
    )


async def import_shares(
    conn: AsyncConnection,
    *,
    row: Any,
    actor: AccountRow,
    now: datetime,
    version: int,
    rows: Sequence[ImportedShare],
    stages: Sequence[StagePlan] | None,
    filename: str,
) -> Any:
    """Set the draft's shares to the imported amounts, its budget to their sum, and its
    plan to ``replan``'s; the project's version moves on by one."""
    repair.MACHINE.check(repair.IMPORT_SHARES, row=row, actor=actor, version=version)
    sharing = {
        r.unit_id: r.number
        for r in await conn.execute(
            select(RepairShare.unit_id, Unit.number)
            .join(Unit, Unit.id == RepairShare.unit_id)
            .where(RepairShare.repair_project_id == row.id)
        )
    }
    amounts = check_units(rows, sharing)
    budget = budget_of(amounts)
    current = [
        StagePlan(s.name, s.amount)
        for s in await conn.execute(
            select(RepairStage.name, RepairStage.amount)
            .where(RepairStage.repair_project_id == row.id)
            .order_by(RepairStage.index)
        )
    ]
    plan = replan(RepairKind(row.kind), budget, current, stages)
    updated = await repair_steps.apply(
        conn,
        action=repair.IMPORT_SHARES,
        row=row,
        actor=actor,
        now=now,
        version=version,
        values={"budget": budget},
        facts={"old_budget": row.budget, "filename": filename},
    )
    amount = bindparam("new_amount", type_=Cents())
    await conn.execute(
        update(RepairShare)
        .where(
            RepairShare.repair_project_id == row.id, RepairShare.unit_id == bindparam("unit_key")
        )
        .values(amount=amount),
        [{"unit_key": unit, "new_amount": value} for unit, value in sorted(amounts.items())],
    )
    if plan != current:  # a draft has paid nothing: its plan is replaced whole
        await conn.execute(delete(RepairStage).where(RepairStage.repair_project_id == row.id))
        await conn.execute(
            insert(RepairStage),
            [
                {
                    "repair_project_id": row.id,
                    "index": index,
                    "name": stage.name,
                    "amount": stage.amount,
                    "paid": Decimal(0),
                }
                for index, stage in enumerate(plan, start=1)
            ],
        )
    return updated
