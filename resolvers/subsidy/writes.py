"""The statements the subsidy mutations run inside their transaction.

Rows are read through the viewer's scope; status changes and their version
checks happen in ``workflows/machine.py`` (``subsidy.MACHINE.apply``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import Viewer
from propgraph.models import (
    Enterprise,
    Evidence,
    EvidenceKind,
    ProjectKind,
    SubsidyApplication,
    SubsidyBatch,
    SubsidyRound,
    SubsidyStatus,
    Todo,
    TodoStatus,
)
from propgraph.resolvers.rows import reread
from propgraph.resolvers.sql import ids_in
from propgraph.resolvers.subsidy.kinds import (
    EVIDENCE,
    SUBSIDY_APPLICATION,
    SUBSIDY_BATCH,
    SUBSIDY_ROUND,
    ApplicationRow,
    BatchRow,
    EvidenceRow,
    RoundRow,
)
from propgraph.workflows.errors import conflict, duplicate, not_found

DUPLICATE_MESSAGE = "This project already has an application in this round."


async def visible_application(
    conn: AsyncConnection, viewer: Viewer, pk: int | None
) -> ApplicationRow:
    """The application if the viewer may see it; NOT_FOUND otherwise, either way."""
    row = None
    if pk is not None:
        row = (
            await conn.execute(
                SUBSIDY_APPLICATION.scoped(viewer).where(SubsidyApplication.id == pk)
            )
        ).first()
    if row is None:
        raise not_found("subsidy application")
    return row


async def visible_applications(
    conn: AsyncConnection, viewer: Viewer, pks: Sequence[int | None]
) -> list[ApplicationRow]:
    """The applications among ``pks`` the viewer may see (ids that decode to nothing
    match nothing)."""
    wanted = [pk for pk in pks if pk is not None]
    query = SUBSIDY_APPLICATION.scoped(viewer).where(
        ids_in(SubsidyApplication.id, wanted, conn.dialect.name)
    )
    rows: list[ApplicationRow] = list((await conn.execute(query)).all())
    return rows


async def visible_round(
    conn: AsyncConnection, viewer: Viewer, pk: int | None, field: str
) -> RoundRow:
    row = None
    if pk is not None:
        row = (
            await conn.execute(SUBSIDY_ROUND.scoped(viewer).where(SubsidyRound.id == pk))
        ).first()
    if row is None:
        raise not_found("subsidy round", field)
    return row


async def visible_batch(conn: AsyncConnection, viewer: Viewer, pk: int | None) -> BatchRow:
    row = None
    if pk is not None:
        row = (
            await conn.execute(SUBSIDY_BATCH.scoped(viewer).where(SubsidyBatch.id == pk))
        ).first()
    if row is None:
        raise not_found("subsidy batch", "batchId")
    return row


async def round_window(conn: AsyncConnection, round_id: int) -> tuple[date, date]:
    """The round's application window: (opens_on, closes_on)."""
    window = (
        await conn.execute(
            select(SubsidyRound.opens_on, SubsidyRound.closes_on).where(SubsidyRound.id == round_id)
        )
    ).one()
    return window.opens_on, window.closes_on


async def bank_account(conn: AsyncConnection, enterprise_id: int | None) -> str | None:
    """The enterprise's receiving bank account, if it recorded one."""
    account: str | None = await conn.scalar(
        select(Enterprise.bank_account).where(Enterprise.id == enterprise_id)
    )
    return account


async def evidence_ids(conn: AsyncConnection, application_id: int) -> set[int]:
    """The ids of every document uploaded for the application."""
    rows = await conn.execute(select(Evidence.id).where(Evidence.application_id == application_id))
    return set(rows.scalars())


async def insert_round(
    conn: AsyncConnection,
    *,
    name: str,
    rate: Decimal,
    months: int,
    opens_on: date,
    closes_on: date,
    created_by_id: int,
    now: datetime,
) -> int:
    pk: int = (
        await conn.execute(
            insert(SubsidyRound)
            .values(
                name=name,
                rate_per_sqm_month=rate,
                months=months,
                opens_on=opens_on,
                closes_on=closes_on,
                created_by_id=created_by_id,
                created_at=now,
            )
            .returning(SubsidyRound.id)
        )
    ).scalar_one()
    return pk


async def insert_draft(
    conn: AsyncConnection,
    *,
    round_id: int,
    project: Any,
    enterprise_id: int | None,
    manager_name: str,
    manager_phone: str,
    property_type: ProjectKind,
    area: Decimal,
    bank_account: str,
    now: datetime,
) -> ApplicationRow:
    """A new DRAFT application of ``project`` (its table row) in the round, read back
    with ``SUBSIDY_APPLICATION.columns()``; DUPLICATE if the project has one there."""
    taken = await conn.scalar(
        select(
            exists().where(
                SubsidyApplication.round_id == round_id,
                SubsidyApplication.project_id == project.id,
            )
        )
    )
    if taken:
        raise duplicate(DUPLICATE_MESSAGE, "projectId")
    try:
        pk = (
            await conn.execute(
                insert(SubsidyApplication)
                .values(
                    round_id=round_id,
                    project_id=project.id,
                    enterprise_id=enterprise_id,
                    community_id=project.community_id,
                    street_id=project.street_id,
                    district_id=project.district_id,
                    status=SubsidyStatus.DRAFT,
                    manager_name=manager_name,
                    manager_phone=manager_phone,
                    property_type=property_type,
                    recorded_area=project.total_area,
                    area=area,
                    bank_account=bank_account,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                .returning(SubsidyApplication.id)
            )
        ).scalar_one()
    except IntegrityError as exc:  # a concurrent create won the unique constraint
        raise duplicate(DUPLICATE_MESSAGE, "projectId") from exc
    return await reread(conn, SUBSIDY_APPLICATION, pk)


async def delete_draft(conn: AsyncConnection, application_id: int, version: int) -> list[str]:
    """Delete the application, its evidence rows and its pending to-dos; CONFLICT if
    its version moved. Returns the stored names of its files, to delete on commit."""
    files = list(
        (
            await conn.execute(
                select(Evidence.stored_as).where(Evidence.application_id == application_id)
            )
        ).scalars()
    )
    await conn.execute(delete(Evidence).where(Evidence.application_id == application_id))
    await conn.execute(
        delete(Todo).where(
            Todo.subject_type == SUBSIDY_APPLICATION.name,
            Todo.subject_id == application_id,
            Todo.status == TodoStatus.PENDING,
        )
    )
    deleted = await conn.execute(
        delete(SubsidyApplication).where(
            SubsidyApplication.id == application_id, SubsidyApplication.version == version
        )
    )
    if deleted.rowcount != 1:
        raise conflict()
    return files


async def insert_evidence(
    conn: AsyncConnection,
    *,
    application_id: int,
    kind: EvidenceKind,
    filename: str,
    content_type: str,
    size: int,
    sha256: str,
    stored_as: str,
    uploaded_by_id: int,
    now: datetime,
) -> EvidenceRow:
    """The evidence row, read back with ``EVIDENCE.columns()``."""
    pk = (
        await conn.execute(
            insert(Evidence)
            .values(
                application_id=application_id,
                kind=kind,
                filename=filename,
                content_type=content_type,
                size=size,
                sha256=sha256,
                stored_as=stored_as,
                uploaded_by_id=uploaded_by_id,
                created_at=now,
            )
            .returning(Evidence.id)
        )
    ).scalar_one()
    return await reread(conn, EVIDENCE, pk)


async def insert_batch(
    conn: AsyncConnection,
    *,
    round_id: int,
    district_id: int | None,
    total_amount: Decimal,
    reported_by_id: int,
    now: datetime,
) -> int:
    pk: int = (
        await conn.execute(
            insert(SubsidyBatch)
            .values(
                round_id=round_id,
                district_id=district_id,
                total_amount=total_amount,
                reported_by_id=reported_by_id,
                reported_at=now,
            )
            .returning(SubsidyBatch.id)
        )
    ).scalar_one()
    return pk


async def mark_batch_paid(
    conn: AsyncConnection, batch_id: int, *, paid_on: date, paid_by_id: int
) -> list[ApplicationRow]:
    """Record the payment day once (CONFLICT if another writer did first); returns
    the batch's applications, read with ``SUBSIDY_APPLICATION.columns()``."""
    marked = await conn.execute(
        update(SubsidyBatch)
        .where(SubsidyBatch.id == batch_id, SubsidyBatch.paid_on.is_(None))
        .values(paid_on=paid_on, paid_by_id=paid_by_id)
    )
    if marked.rowcount != 1:
        raise conflict()
    rows = await conn.execute(
        SUBSIDY_APPLICATION.columns().where(SubsidyApplication.batch_id == batch_id)
    )
    applications: list[ApplicationRow] = list(rows.all())
    return applications
