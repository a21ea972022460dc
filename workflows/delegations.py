"""Delegation (委托, SPEC 3.2): rules and the delegate's account.

An owner delegates all its units in one project to a named person for a
period. The delegate signs in as ``DELEGATE`` with an account named for its
phone, ``delegate_<phone>``, created on the first delegation to that phone
and re-pointed (and re-enabled) on a later one. An account holds one
delegation at a time, so a phone already acting under another delegation
still in force cannot take a second one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.models import Account, Channel, Delegation, Role
from propgraph.workflows import outbox
from propgraph.workflows.errors import duplicate, invalid

SUBJECT = "Delegation"
MAX_DAYS = 3 * 366  # the owner manual's form offers up to three years


def delegate_username(phone: str) -> str:
    return f"delegate_{phone}"


def check_period(starts_on: date, ends_on: date, today: date) -> None:
    if starts_on < today:
        raise invalid("startsOn", "A delegation cannot start in the past.")
    if ends_on < starts_on:
        raise invalid("endsOn", "The last day must not be before the first.")
    if (ends_on - starts_on).days > MAX_DAYS:
        raise invalid("endsOn", "A delegation may last at most three years.")


async def in_force_or_coming(
    conn: AsyncConnection, owner_id: int, project_id: int, today: date
) -> Any | None:
    """A delegation of the owner in the project, not revoked and not yet over."""
    return (
        await conn.execute(
            select(Delegation.id).where(
                Delegation.owner_id == owner_id,
                Delegation.project_id == project_id,
                Delegation.revoked_at.is_(None),
                Delegation.ends_on >= today,
            )
        )
    ).first()


async def bind_account(
    conn: AsyncConnection, delegation_id: int, name: str, phone: str, today: date
) -> str:
    """Create, or re-point and re-enable, the delegate's account; its username."""
    username = delegate_username(phone)
    account = (
        await conn.execute(
            select(Account.id, Account.role, Account.delegation_id).where(
                Account.username == username
            )
        )
    ).first()
    if account is None:
        await conn.execute(
            insert(Account).values(
                username=username,
                name=name,
                role=Role.DELEGATE,
                phone=phone,
                delegation_id=delegation_id,
                disabled=False,
            )
        )
        return username
    current = None
    if account.delegation_id is not None:
        current = (
            await conn.execute(
                select(Delegation.id).where(
                    Delegation.id == account.delegation_id,
                    Delegation.revoked_at.is_(None),
                    Delegation.ends_on >= today,
                )
            )
        ).first()
    if account.role != Role.DELEGATE or current is not None:
        raise duplicate(
            "This phone number already acts as a delegate under another delegation in force.",
            "delegatePhone",
        )
    await conn.execute(
        update(Account)
        .where(Account.id == account.id)
        .values(name=name, delegation_id=delegation_id, disabled=False)
    )
    return username


async def text_delegate(
    conn: AsyncConnection,
    *,
    phone: str,
    owner_name: str,
    project_name: str,
    starts_on: date,
    ends_on: date,
    username: str,
    delegation_id: int,
    now: datetime,
) -> None:
    await outbox.enqueue(
        conn,
        channel=Channel.SMS,
        template="delegation.created",
        text=f"【物业监管平台】{owner_name}委托您在{starts_on}至{ends_on}代为参与{project_name}"
        f"的业主投票和服务评价，登录账号：{username}。",
        payload={"delegation_id": delegation_id, "project": project_name, "username": username},
        now=now,
        phone=phone,
        subject=(SUBJECT, delegation_id),
    )
