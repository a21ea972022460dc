"""A workflow is a table of transitions plus pure rules.

Each workflow module (``workflows/subsidy.py`` is the example to copy)
declares one ``Machine``: every ``Transition`` its rows may take, who may take
it, and what it writes. A mutation parses its input, loads the scoped row,
checks its own rules (pure functions beside the table), and calls ``apply``::

    MACHINE = Machine(
        kind=SUBSIDY_APPLICATION,  # the node kind: table, GraphQL name, columns
        subject_key="application_id",  # the row's id in each notification payload
        transitions=(
            Transition(
                action="subsidy.submit",  # the name apply() is called with; the audit action
                sources=(DRAFT, RETURNED),
                target=SUBMITTED,
                roles=(Role.MANAGER,),  # positions=(Position.HEAD,) to narrow it
                refusal="An application that is {status} cannot be submitted.",
                closes_todos=True,
                notices=(
                    Notice(
                        template="subsidy.review_requested",
                        text="{project_name}的申请待您审核。",
                        to=Accounts(Role.COMMUNITY, "community_id"),
                        payload={"project": "{project_name}"},
                    ),
                ),
                opens=(
                    Todo("subsidy.review", "审核：{project_name}", Role.COMMUNITY, "community_id"),
                ),
            ),
        ),
    )

    row = await MACHINE.apply(
        conn, action="subsidy.submit", row=app, version=data.version,
        actor=write.actor, now=write.now, values={"area": area},
    )

``apply`` runs inside the caller's transaction, in this order:

1. ``check``, through the pure ``transition``: the caller read the row's
   current ``version`` (else CONFLICT; checked first); the actor's role may
   take the action (else FORBIDDEN) from the row's current status (else
   INVALID_STATE, with the transition's ``refusal``), in its position (else
   FORBIDDEN). The table's tests call ``transition`` without a database.
2. ``UPDATE … SET status, version + 1, values WHERE id AND version``: of two
   racing writers the second finds no row and gets CONFLICT.
3. the audit entry (from → to, the comment or the transition's ``note``);
4. the subject's pending to-dos are closed (``closes_todos``);
5. each ``Notice`` is queued in the outbox (``workflows/outbox.py``);
6. each ``Todo`` is opened for its role and scope node.

Texts, to-do titles, notes and payload values are ``str.format`` templates
over the *facts*: the row's columns (as re-read after the update), the
``values`` written, the transition's ``facts`` constants, ``comment``, and
the ``facts`` given to ``apply`` (e.g. ``paid_on``). A transition without
``sources`` records a creation: the caller has inserted the row, and
``apply`` writes only the audit entry, notices and to-dos.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from propgraph.models import Channel, Position, Role
from propgraph.workflows import outbox, todos
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import conflict, forbidden, invalid_state

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from propgraph.authz.viewer import AccountRow
    from propgraph.resolvers.graph.kinds import NodeKind

AuditWriter = Callable[..., Awaitable[None]]  # record_transition's keyword arguments


@dataclass(frozen=True)
class Accounts:
    """The enabled accounts of ``role`` whose scope node is the row's ``column``
    (an office, or a project's managers): reached in-app (WECHAT)."""

    role: Role
    column: str


@dataclass(frozen=True)
class Phone:
    """An SMS to the phone typed on the row (``column``), and the same message
    in-app to the ``also`` accounts that the SMS does not reach."""

    column: str
    also: Accounts | None = None


@dataclass(frozen=True)
class Notice:
    """One message queued in the outbox when the transition is taken."""

    template: str
    text: str
    to: Accounts | Phone
    payload: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Todo:
    """A pending to-do for every account of ``role`` at the row's ``column`` node."""

    kind: str
    title: str
    role: Role
    column: str


@dataclass(frozen=True)
class Transition:
    """One row of a workflow's table; see the module docstring."""

    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[Role, ...]
    positions: tuple[Position, ...] = ()  # empty: any position
    refusal: str = "Not possible while it is {status}."
    note: str | None = None  # the audit comment; None: the comment given to apply
    closes_todos: bool = False
    notices: tuple[Notice, ...] = ()
    opens: tuple[Todo, ...] = ()
    facts: Mapping[str, str] = field(default_factory=dict)

    @property
    def creates(self) -> bool:
        return not self.sources


@dataclass(frozen=True)
class Machine:
    """A workflow's whole table, and the one way to take its transitions."""

    kind: NodeKind
    transitions: tuple[Transition, ...]
    subject_key: str = "id"
    updated_at: str | None = None  # a column set to ``now`` by every change, if any
    audit: AuditWriter = record_transition

    def __post_init__(self) -> None:
        """At most one row answers any (action, role, position, status)."""
        seen: set[tuple[str, Role, str | None, str | None]] = set()
        for t in self.transitions:
            for role in t.roles:
                positions: tuple[Position | None, ...] = t.positions or (None, *Position)
                for position in positions:
                    for source in t.sources or (None,):
                        key = (t.action, role, position, source)
                        if key in seen:
                            raise ValueError(f"{t.action}: two rows for {role} from {source}")
                        seen.add(key)

    @property
    def subject(self) -> str:
        return self.kind.name

    def transition(
        self,
        action: str,
        *,
        role: str,
        position: str | None,
        status: str | None,
        version: int | None = None,
        expected_version: int | None = None,
    ) -> Transition:
        """The transition ``action`` for this actor from ``status``, or the refusal.

        ``version`` is the row's, ``expected_version`` the one the caller read;
        both ``None`` for a creation.
        """
        named = [t for t in self.transitions if t.action == action]
        if not named:
            raise KeyError(f"{self.subject} has no transition {action!r}")
        if version != expected_version:
            raise conflict()
        mine = [t for t in named if role in t.roles]
        if not mine:
            raise forbidden("Your role may not do this.")
        found = [t for t in mine if (t.creates if status is None else status in t.sources)]
        if not found:
            shown = getattr(status, "value", status)
            raise invalid_state(mine[0].refusal.format(status=shown))
        for transition in found:  # rows may split one move by position (clerk, head)
            if not transition.positions or position in transition.positions:
                return transition
        raise forbidden()

    def check(self, action: str, *, row: Any, actor: AccountRow, version: int | None) -> Transition:
        """``transition`` for this row and actor (``version=None``: a creation).

        ``apply`` calls it; a mutation calls it first only where the row's
        stage must be refused before its own input checks.
        """
        creating = version is None
        return self.transition(
            action,
            role=actor.role,
            position=actor.position,
            status=None if creating else row.status,
            version=None if creating else row.version,
            expected_version=version,
        )

    async def record(
        self,
        conn: AsyncConnection,
        *,
        subject_id: int,
        actor: AccountRow,
        at: datetime,
        action: str,
        from_status: str | None,
        to_status: str,
        comment: str | None = None,
    ) -> None:
        """The row's audit entry, for a change outside the table (an upload, a deletion)."""
        await self.audit(
            conn,
            subject_type=self.subject,
            subject_id=subject_id,
            actor=actor,
            at=at,
            action=action,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
        )

    async def apply(
        self,
        conn: AsyncConnection,
        *,
        action: str,
        row: Any,
        actor: AccountRow,
        now: datetime,
        version: int | None = None,
        values: Mapping[str, Any] | None = None,
        comment: str | None = None,
        facts: Mapping[str, Any] | None = None,
        reread: bool = True,
    ) -> Any:
        """Take the transition ``action`` for ``row`` (read with ``kind.columns()``).

        Returns the row as it is now, read again, or ``None`` with
        ``reread=False`` (a batch that answers with something else).
        """
        values = dict(values or {})
        if self.updated_at is not None:
            values.setdefault(self.updated_at, now)
        transition = self.check(action, row=row, actor=actor, version=version)
        model: Any = self.kind.model
        if not transition.creates:
            assert version is not None
            changed = await conn.execute(
                update(model)
                .where(model.id == row.id, model.version == version)
                .values(status=transition.target, version=version + 1, **values)
            )
            if changed.rowcount != 1:
                raise conflict()
        current = row
        if reread or transition.notices or transition.opens:
            current = (await conn.execute(self.kind.columns().where(model.id == row.id))).one()
        known = {
            **dict(row._mapping),
            **values,
            **dict(current._mapping),
            **transition.facts,
            "comment": comment,
            **(facts or {}),
        }
        await self.record(
            conn,
            subject_id=row.id,
            actor=actor,
            at=now,
            action=transition.action,
            from_status=None if transition.creates else row.status,
            to_status=transition.target,
            comment=comment if transition.note is None else transition.note.format_map(known),
        )
        if transition.closes_todos:
            await todos.close_todos(
                conn, subject_type=self.subject, subject_id=row.id, done_by=actor.id, now=now
            )
        for notice in transition.notices:
            await self._notify(conn, notice, current, known, now)
        for todo in transition.opens:
            await todos.open_todo(
                conn,
                kind=todo.kind,
                title=todo.title.format_map(known),
                subject_type=self.subject,
                subject_id=row.id,
                role=todo.role,
                scope_id=getattr(current, todo.column),
                now=now,
            )
        return current if reread else None

    async def _notify(
        self,
        conn: AsyncConnection,
        notice: Notice,
        row: Any,
        known: Mapping[str, Any],
        now: datetime,
    ) -> None:
        common: dict[str, Any] = {
            "template": notice.template,
            "text": notice.text.format_map(known),
            "payload": {
                self.subject_key: row.id,
                **{key: value.format_map(known) for key, value in notice.payload.items()},
            },
            "now": now,
            "subject": (self.subject, row.id),
        }
        to = notice.to
        if isinstance(to, Accounts):
            accounts = await outbox.office_accounts(
                conn, to.role, to.column, getattr(row, to.column)
            )
            await outbox.enqueue(
                conn, channel=Channel.WECHAT, account_ids=[a.id for a in accounts], **common
            )
            return
        phone = getattr(row, to.column)
        await outbox.enqueue(conn, channel=Channel.SMS, phone=phone, **common)
        if to.also is not None:
            also = await outbox.office_accounts(
                conn, to.also.role, to.also.column, getattr(row, to.also.column)
            )
            unreached = [a.id for a in also if a.phone != phone]
            await outbox.enqueue(conn, channel=Channel.WECHAT, account_ids=unreached, **common)
