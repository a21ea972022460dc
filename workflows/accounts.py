"""Presetting and disabling accounts (账号预置, SPEC 2, seed 001 §3).

The two-position rule, as data:

- an office ``HEAD`` presets the ``CLERK`` accounts of its own office
  (``OWN``: the same node) and the ``HEAD`` accounts of the level directly
  below (``BELOW``: city → district → street → community), inside its scope;
- an ``ENTERPRISE`` presets the ``MANAGER`` account of one of its projects
  (``PROJECT``), one per project.

Anything else is ``FORBIDDEN``: no account grants a role, position or scope
wider than its own. A scope node the creator cannot see, or not where the
rule puts it, is ``NOT_FOUND``. Disabling and enabling follow the same rule
for the target account. An account is not a state machine with versions:
``disabled`` is a switch, so each change is one audit entry; an account
disabled anywhere is refused by every process on its next request (the
``accounts`` trigger of migration 0005 tells every listening process).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow, Viewer
from propgraph.models import Account, Channel, Community, District, Project, Street
from propgraph.models.enums import Position, Role
from propgraph.resolvers.accounts.kinds import ACCOUNT
from propgraph.schema.relay import from_global_id
from propgraph.workflows import outbox
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import duplicate, forbidden, invalid, not_found

SUBJECT = ACCOUNT.name
CREATE = "account.create"
DISABLE = "account.disable"
ENABLE = "account.enable"
ENABLED, DISABLED = "ENABLED", "DISABLED"

USERNAME = re.compile(r"^[a-z][a-z0-9_]{2,63}$")  # ASCII only: it is typed at sign-in
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \d matches other scripts
MAX_NAME = 64

CREATED_TEXT = "【物业监管平台】您的{role}账号 {username} 已由{creator}开通，请向其领取登录凭证。"


class Relation(enum.Enum):
    """Where the new account's scope node must lie, relative to the creator's."""

    OWN = "own"  # the creator's own node (its office's clerks)
    BELOW = "below"  # a node of the level directly below, inside the creator's scope
    PROJECT = "project"  # one of the enterprise's projects


OFFICE_LEVELS = (Role.CITY, Role.DISTRICT, Role.STREET, Role.COMMUNITY)
# The scope column of each office level and of a manager; CITY has none.
NODE_COLUMN: dict[Role, str | None] = {
    Role.CITY: None,
    Role.DISTRICT: "district_id",
    Role.STREET: "street_id",
    Role.COMMUNITY: "community_id",
    Role.MANAGER: "project_id",
}
NODE_TYPE: dict[Role, tuple[str, Any] | None] = {
    Role.CITY: None,
    Role.DISTRICT: ("District", District),
    Role.STREET: ("Street", Street),
    Role.COMMUNITY: ("Community", Community),
    Role.MANAGER: ("Project", Project),
}


def preset_relation(
    creator_role: str, creator_position: str | None, role: str, position: str | None
) -> Relation | None:
    """Which accounts the creator may preset (and disable); None: FORBIDDEN. Pure."""
    creator, target = Role(creator_role), Role(role)
    if creator == Role.ENTERPRISE:
        return Relation.PROJECT if target == Role.MANAGER and position is None else None
    if creator not in OFFICE_LEVELS or creator_position != Position.HEAD.value:
        return None
    if target == creator and position == Position.CLERK.value:
        return Relation.OWN
    level = OFFICE_LEVELS.index(creator)
    below = OFFICE_LEVELS[level + 1] if level + 1 < len(OFFICE_LEVELS) else None
    if target == below and position == Position.HEAD.value:
        return Relation.BELOW
    return None


@dataclass(frozen=True)
class NewAccount:
    username: str
    name: str
    phone: str
    role: Role
    position: Position | None
    scope_id: str | None


def parse_new_account(data: NewAccount) -> NewAccount:
    """The input's shapes checked (VALIDATION), whitespace trimmed."""
    username = (data.username or "").strip()
    if not USERNAME.match(username):
        raise invalid(
            "username",
            "A username is 3-64 characters: lower-case letters, digits and `_`, "
            "starting with a letter.",
        )
    name = (data.name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise invalid("name", f"A name is required, at most {MAX_NAME} characters.")
    phone = (data.phone or "").strip()
    if not MOBILE.match(phone):
        raise invalid("phone", "An 11-digit mainland mobile number is required, e.g. 13812345678.")
    if data.role in OFFICE_LEVELS and data.position is None:
        raise invalid("position", "An office account needs a position: HEAD or CLERK.")
    if data.role not in OFFICE_LEVELS and data.position is not None:
        raise invalid("position", "Only office accounts have a position.")
    return NewAccount(username, name, phone, data.role, data.position, data.scope_id)


async def _scope_node(
    conn: AsyncConnection, viewer: Viewer, role: Role, relation: Relation, scope_id: str | None
) -> int | None:
    """The key of the new account's scope node, checked against the rule."""
    creator = viewer.account
    assert creator is not None
    node_type = NODE_TYPE[role]
    if node_type is None:  # a CITY clerk: the city itself
        if scope_id:
            raise invalid("scopeId", "A CITY account has no scope node; leave `scopeId` out.")
        return None
    type_name, model = node_type
    if relation == Relation.OWN and not scope_id:
        pk: int | None = getattr(creator, NODE_COLUMN[role] or "")
        return pk
    if not scope_id:
        raise invalid("scopeId", f"A {role.value} account needs `scopeId`: a {type_name}.")
    decoded = from_global_id(scope_id)
    if decoded is None:
        raise not_found(type_name.lower(), "scopeId")
    if decoded[0] != type_name:
        raise invalid("scopeId", f"A {role.value} account's scope is a {type_name}.")
    pk = decoded[1]
    if relation == Relation.OWN:
        if pk != getattr(creator, NODE_COLUMN[role] or ""):
            raise not_found(type_name.lower(), "scopeId")
        return pk
    visible = viewer.scope.for_table(model.__tablename__)
    if relation == Relation.PROJECT:
        visible = visible & (Project.enterprise_id == creator.enterprise_id)
    found = await conn.scalar(select(model.id).where(model.id == pk, visible))
    if found is None:
        raise not_found(type_name.lower(), "scopeId")
    return pk


async def create(conn: AsyncConnection, viewer: Viewer, data: NewAccount, now: datetime) -> Any:
    """Preset one account; returns its row (ACCOUNT's columns)."""
    actor = viewer.account
    assert actor is not None
    data = parse_new_account(data)
    relation = preset_relation(
        actor.role, actor.position, data.role.value, data.position.value if data.position else None
    )
    if relation is None:
        raise forbidden(
            "You may preset only the clerks of your own office and the heads of the level "
            "directly below (an enterprise: its projects' managers)."
        )
    node = await _scope_node(conn, viewer, data.role, relation, data.scope_id)
    column = NODE_COLUMN[data.role]
    if await conn.scalar(select(Account.id).where(Account.username == data.username)):
        raise duplicate("This username is taken.", "username")
    if data.role == Role.MANAGER and await conn.scalar(
        select(Account.id).where(Account.role == Role.MANAGER, Account.project_id == node)
    ):
        raise duplicate("This project has its manager account already.", "scopeId")
    values: dict[str, Any] = {
        "username": data.username,
        "name": data.name,
        "phone": data.phone,
        "role": data.role,
        "position": data.position,
        "disabled": False,
        "created_at": now,
    }
    if column is not None:
        values[column] = node
    try:
        pk = (await conn.execute(insert(Account).values(values).returning(Account.id))).scalar_one()
    except IntegrityError as error:  # a racing twin took the name (or the project) first
        raise duplicate("This username is taken.", "username") from error
    await record_transition(
        conn, subject_type=SUBJECT, subject_id=pk, actor=actor, at=now, action=CREATE,
        from_status=None, to_status=ENABLED,
        comment=f"{data.role.value}{':' + data.position.value if data.position else ''}",
    )  # fmt: skip
    await outbox.enqueue(
        conn,
        channel=Channel.SMS,
        phone=data.phone,
        template=CREATE,
        text=CREATED_TEXT.format(
            role=data.role.value, username=data.username, creator=actor.username
        ),
        payload={"username": data.username, "role": data.role.value},
        now=now,
        subject=(SUBJECT, pk),
    )
    return await reread(conn, pk)


async def set_disabled(
    conn: AsyncConnection, viewer: Viewer, pk: int | None, disabled: bool, now: datetime
) -> Any:
    """Switch an account the viewer may manage off or on; returns its row."""
    actor = viewer.account
    assert actor is not None
    row = None
    if pk is not None:
        row = (await conn.execute(ACCOUNT.scoped(viewer).where(Account.id == pk))).first()
    if row is None:
        raise not_found("account")
    relation = preset_relation(actor.role, actor.position, row.role, row.position)
    if relation is None or not _in_relation(actor, row, relation):
        raise forbidden("You may switch only the accounts you may preset.")
    if row.disabled == disabled:
        return row  # already so: nothing to write
    await conn.execute(update(Account).where(Account.id == row.id).values(disabled=disabled))
    await record_transition(
        conn, subject_type=SUBJECT, subject_id=row.id, actor=actor, at=now,
        action=DISABLE if disabled else ENABLE,
        from_status=DISABLED if row.disabled else ENABLED,
        to_status=DISABLED if disabled else ENABLED,
    )  # fmt: skip
    return await reread(conn, row.id)


def _in_relation(actor: AccountRow, row: Any, relation: Relation) -> bool:
    """The target is where the rule puts it (scoped reads already keep it in scope)."""
    if relation == Relation.OWN:
        column = NODE_COLUMN[Role(actor.role)]
        return column is None or getattr(row, column) == getattr(actor, column)
    return True  # BELOW: its role is the next level, PROJECT: a manager the enterprise sees


async def reread(conn: AsyncConnection, pk: int) -> Any:
    return (await conn.execute(ACCOUNT.columns().where(Account.id == pk))).one()
