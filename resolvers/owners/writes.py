"""Statements the owners' mutations run inside their transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow
from propgraph.models import (
    Delegation,
    Meeting,
    MeetingStatus,
    Owner,
    OwnerVerification,
    Project,
    Rating,
    Topic,
    Unit,
    UnitOwner,
    Vote,
    VoterNomination,
    VotingRule,
)
from propgraph.resolvers.owners.kinds import DELEGATION, MEETING, DelegationRow, MeetingRow
from propgraph.resolvers.rows import reread as reread  # the owners' mutations read through
from propgraph.resolvers.rows import visible as visible  # these two, re-exported here


async def active_delegation(
    conn: AsyncConnection, owner_id: int, project_id: int, today: date
) -> DelegationRow | None:
    """The owner's delegation in force today in the project, if any."""
    return (
        await conn.execute(
            DELEGATION.columns().where(
                Delegation.owner_id == owner_id,
                Delegation.project_id == project_id,
                Delegation.revoked_at.is_(None),
                Delegation.starts_on <= today,
                Delegation.ends_on >= today,
            )
        )
    ).first()


async def units_of_owner_in_project(
    conn: AsyncConnection, owner_id: int, project_id: int
) -> list[int]:
    rows = await conn.execute(
        select(UnitOwner.unit_id)
        .where(UnitOwner.owner_id == owner_id, UnitOwner.project_id == project_id)
        .order_by(UnitOwner.unit_id)
    )
    return list(rows.scalars())


async def project_name(conn: AsyncConnection, project_id: int) -> str | None:
    name: str | None = await conn.scalar(select(Project.name).where(Project.id == project_id))
    return name


async def insert_meeting(
    conn: AsyncConnection,
    *,
    project_id: int,
    community_id: int,
    title: str,
    publicity_starts_on: date,
    voting_starts_at: datetime,
    voting_ends_at: datetime,
    opened_by: AccountRow,
    opened_by_scope_id: int | None,
    topics: Sequence[tuple[str, VotingRule]],
    now: datetime,
) -> MeetingRow:
    """A meeting in PUBLICITY with its topics in order, read back with
    ``MEETING.columns()``."""
    place = (
        await conn.execute(
            select(Project.street_id, Project.district_id).where(Project.id == project_id)
        )
    ).one()
    created = await conn.execute(
        insert(Meeting)
        .values(
            project_id=project_id,
            community_id=community_id,
            street_id=place.street_id,
            district_id=place.district_id,
            title=title,
            publicity_starts_on=publicity_starts_on,
            voting_starts_at=voting_starts_at,
            voting_ends_at=voting_ends_at,
            status=MeetingStatus.PUBLICITY,
            opened_by_role=opened_by.role,
            opened_by_scope_id=opened_by_scope_id,
            opened_by_id=opened_by.id,
            version=1,
            created_at=now,
        )
        .returning(Meeting.id)
    )
    meeting_id = created.scalar_one()
    await conn.execute(
        insert(Topic),
        [
            {"meeting_id": meeting_id, "position": i, "title": t, "rule": rule}
            for i, (t, rule) in enumerate(topics)
        ],
    )
    return await reread(conn, MEETING, meeting_id)


async def project_of_unit(conn: AsyncConnection, unit_id: int) -> int | None:
    project_id: int | None = await conn.scalar(select(Unit.project_id).where(Unit.id == unit_id))
    return project_id


async def verification_of(conn: AsyncConnection, owner_id: int) -> OwnerVerification | None:
    verification: OwnerVerification | None = await conn.scalar(
        select(Owner.verification).where(Owner.id == owner_id)
    )
    return verification


async def has_voted(conn: AsyncConnection, topic_id: int, unit_id: int) -> bool:
    """Whether the unit has a vote on the topic."""
    existing = await conn.scalar(
        select(Vote.id).where(Vote.topic_id == topic_id, Vote.unit_id == unit_id)
    )
    return existing is not None


async def insert_vote(conn: AsyncConnection, values: Mapping[str, Any]) -> bool:
    """The vote; False if a racing vote for the same unit and topic won the unique
    constraint (the transaction is then to be rolled back)."""
    try:
        await conn.execute(insert(Vote).values(**values))
    except IntegrityError:
        return False
    return True


async def owner_name(conn: AsyncConnection, owner_id: int) -> str | None:
    name: str | None = await conn.scalar(select(Owner.name).where(Owner.id == owner_id))
    return name


async def insert_delegation(
    conn: AsyncConnection,
    *,
    owner_id: int,
    project_id: int,
    delegate_name: str,
    delegate_phone: str,
    starts_on: date,
    ends_on: date,
) -> int:
    created = await conn.execute(
        insert(Delegation)
        .values(
            owner_id=owner_id,
            project_id=project_id,
            delegate_name=delegate_name,
            delegate_phone=delegate_phone,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        .returning(Delegation.id)
    )
    pk: int = created.scalar_one()
    return pk


async def revoke_delegation(conn: AsyncConnection, delegation_id: int, now: datetime) -> bool:
    """Revoke the delegation unless it was revoked already (then False)."""
    changed = await conn.execute(
        update(Delegation)
        .where(Delegation.id == delegation_id, Delegation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return changed.rowcount == 1


async def unit_owner_links(conn: AsyncConnection, unit_id: int) -> list[Any]:
    """The unit's ``unit_owners`` rows (owner and ancestor ids)."""
    return list((await conn.execute(select(UnitOwner).where(UnitOwner.unit_id == unit_id))).all())


async def insert_nomination(
    conn: AsyncConnection, *, link: Any, owner_id: int | None, nominee_id: int | None, now: datetime
) -> None:
    """The owner's nomination of the unit's voter; ``link`` is one of the unit's
    ``unit_owners`` rows, for the ancestor ids."""
    await conn.execute(
        insert(VoterNomination).values(
            unit_id=link.unit_id,
            owner_id=owner_id,
            nominee_id=nominee_id,
            at=now,
            project_id=link.project_id,
            community_id=link.community_id,
            street_id=link.street_id,
            district_id=link.district_id,
        )
    )


async def upsert_ratings(
    conn: AsyncConnection, rows: Sequence[Mapping[str, Any]], replaced: Sequence[str]
) -> None:
    """This year's rating of each unit; a unit rated again gets the ``replaced``
    columns of its new row."""
    insert_ = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert_(Rating).values(list(rows))
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["project_id", "unit_id", "year"],
            set_={key: getattr(statement.excluded, key) for key in replaced},
        )
    )


async def set_verification(
    conn: AsyncConnection, owner_id: int, verification: OwnerVerification
) -> None:
    await conn.execute(update(Owner).where(Owner.id == owner_id).values(verification=verification))
