"""Editing the policy at run time (SPEC 2): the CITY HEAD adds and removes `p` rows.

A rule is one Casbin ``p`` row of ``authz/rbac_model.conf``: ``subject`` a
role, ``ROLE:POSITION`` or a group of the ``g`` rows (``ACCOUNT``,
``OFFICE``); ``object`` ``Type.field`` or ``Mutation.name`` (``*`` matches
with ``keyMatch``); ``action`` ``read|mask|call``; ``effect`` ``allow|deny``.

A change is refused, with nothing written, when it

- is malformed or names an unknown subject (``VALIDATION``, with the field);
- adds a row present already (``DUPLICATE``) or removes one absent (``NOT_FOUND``);
  of two calls racing to add the same rule, exactly one adds it and the other
  gets ``DUPLICATE``: both may pass the check, but a unique index over the
  line's values (migration 0016) refuses the second insert once the first
  commits (PostgreSQL); SQLite runs the two transactions one after the other;
- would take from the CITY HEAD the right to read and edit the policy
  (``FORBIDDEN``): nobody could repair the policy through the API then;
- would leave a role's schema impossible to build (``VALIDATION``): every
  role whose own rows change is built with the new policy before the write.

The row is written with an audit entry in the caller's transaction. Every
process then reloads the policy and rebuilds the schemas of the roles whose
rows changed (``propgraph/policies.py``): PostgreSQL announces the change
from a trigger on ``casbin_rule`` (migration 0013) when it commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.permissions import CALL, MASK, READ, ROLES, SCHEMA_ROLES, subject
from propgraph.authz.policy import RolePolicy, enforcer_from_rows, role_fingerprint
from propgraph.authz.viewer import AccountRow
from propgraph.db import RequestDB
from propgraph.models import CasbinRule
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import ErrorCode, MutationError, duplicate, forbidden, invalid

SUBJECT = "PolicyRule"
ADD = "policy.add"
REMOVE = "policy.remove"
ACTIONS = (READ, MASK, CALL)
EFFECTS = ("allow", "deny")
POSITIONS = ("HEAD", "CLERK")
OFFICES = ("CITY", "DISTRICT", "STREET", "COMMUNITY")
# `Type.field`, `Type.*`, `Mutation.name`: what keyMatch compares field objects with.
OBJECT = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}\.(?:[a-z_][A-Za-z0-9_]{0,63}|\*)$")
# What the CITY HEAD keeps, whatever it edits.
KEPT = ("addPolicyRule", "removePolicyRule")

Rule = tuple[str, str, str, str]


async def read(db: RequestDB, subject_: str | None) -> list[Rule]:
    """The `p` rows, in a stable order; those of one subject if given."""
    query = select(CasbinRule.v0, CasbinRule.v1, CasbinRule.v2, CasbinRule.v3).where(
        CasbinRule.ptype == "p"
    )
    if subject_ is not None:
        query = query.where(CasbinRule.v0 == subject_)
    rows = await db.all(query.order_by(CasbinRule.v0, CasbinRule.v1, CasbinRule.v2, CasbinRule.id))
    return [(r[0] or "", r[1] or "", r[2] or "", r[3] or "") for r in rows]


def known_subjects(groups: Sequence[Sequence[str]]) -> frozenset[str]:
    """Roles, office roles with a position, PUBLIC, and the groups the `g` rows name."""
    positioned = {subject(role, p) for role in OFFICES for p in POSITIONS}
    named = {g[1] for g in groups if len(g) > 1}
    return frozenset({*SCHEMA_ROLES, *positioned, *named} - {""})


def parse_rule(
    subject_: str, object_: str, action: str, effect: str, groups: Sequence[Sequence[str]]
) -> Rule:
    """The rule's shape checked; pure."""
    subject_, object_, action, effect = (v.strip() for v in (subject_, object_, action, effect))
    if subject_ not in known_subjects(groups):
        raise invalid(
            "subject", f"Unknown subject {subject_!r}: a role ({', '.join(ROLES)}, PUBLIC), "
            "ROLE:HEAD or ROLE:CLERK for offices, or a group (ACCOUNT, OFFICE).",
        )  # fmt: skip
    if not OBJECT.match(object_):
        raise invalid("object", "The object is `Type.field`, `Type.*` or `Mutation.name`.")
    if action not in ACTIONS:
        raise invalid("action", "The action is read, mask or call.")
    if (action == CALL) != object_.startswith("Mutation."):
        raise invalid("action", "`call` goes with `Mutation.name`, read and mask with fields.")
    if effect not in EFFECTS:
        raise invalid("effect", "The effect is allow or deny.")
    return (subject_, object_, action, effect)


async def _rows(conn: AsyncConnection) -> list[tuple[str, list[str]]]:
    rows = await conn.execute(
        select(
            CasbinRule.ptype, CasbinRule.v0, CasbinRule.v1, CasbinRule.v2, CasbinRule.v3
        ).order_by(CasbinRule.id)
    )
    return [(r[0] or "", [v for v in r[1:] if v is not None]) for r in rows]


def _check_loadable(before: Any, after: Any) -> None:
    """Build the schema of every role whose rows change; refuse what cannot be built."""
    from propgraph.schema.build import build_schema  # the whole schema: imported lazily

    keeper = RolePolicy("CITY", after)
    if not all(keeper.may_call(name, "HEAD") for name in KEPT) or not keeper.shows(
        "Query", "policyRules"
    ):
        raise forbidden(
            "This change would take from the CITY HEAD the right to read or edit the policy."
        )
    for role in SCHEMA_ROLES:
        old, new = RolePolicy(role, before), RolePolicy(role, after)
        if role_fingerprint(old) == role_fingerprint(new):
            continue
        try:
            build_schema(new)
        except Exception as error:  # any failure to build is a policy that cannot load
            raise invalid(
                "object", f"The policy would not load: {role}'s schema fails to build ({error})."
            ) from error


async def change(
    conn: AsyncConnection,
    *,
    add: bool,
    values: tuple[str, str, str, str],
    actor: AccountRow,
    now: datetime,
) -> Rule:
    """Add or remove one `p` row, checked; returns the rule as stored."""
    rows = await _rows(conn)
    groups = [v for ptype, v in rows if ptype == "g"]
    rule = parse_rule(*values, groups=groups)
    present = [list(rule) == v for ptype, v in rows if ptype == "p"]
    if add and any(present):
        raise duplicate("The policy has this rule already.")
    if not add and not any(present):
        raise MutationError(ErrorCode.NOT_FOUND, "The policy has no such rule.")
    before = enforcer_from_rows(rows)
    if add:
        after_rows = [*rows, ("p", list(rule))]
    else:
        after_rows = [(ptype, v) for ptype, v in rows if not (ptype == "p" and v == list(rule))]
    _check_loadable(before, enforcer_from_rows(after_rows))
    keys = dict(zip(("v0", "v1", "v2", "v3"), rule, strict=True))
    if add:
        try:
            pk = (
                await conn.execute(
                    insert(CasbinRule).values(ptype="p", **keys).returning(CasbinRule.id)
                )
            ).scalar_one()
        except IntegrityError as error:  # a racing twin added it first
            raise duplicate("The policy has this rule already.") from error
    else:
        matches = [getattr(CasbinRule, k) == v for k, v in keys.items()]
        removed = await conn.execute(
            delete(CasbinRule).where(CasbinRule.ptype == "p", *matches).returning(CasbinRule.id)
        )
        removed_ids = list(removed.scalars())
        if not removed_ids:  # a racing removal took it first
            raise MutationError(ErrorCode.NOT_FOUND, "The policy has no such rule.")
        pk = min(removed_ids)
    await record_transition(
        conn, subject_type=SUBJECT, subject_id=pk, actor=actor, at=now,
        action=ADD if add else REMOVE, from_status=None if add else "PRESENT",
        to_status="PRESENT" if add else "REMOVED", comment=", ".join(rule),
    )  # fmt: skip
    return rule
