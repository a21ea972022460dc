"""The Casbin policy, stored in the database and compiled per role.

``enforce()`` is only called while building a role's schema (once per field
per role per process) and once per mutation call; never per row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import casbin
from casbin.util import key_match
from casbin_async_sqlalchemy_adapter import Adapter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.authz.permissions import CALL, MASK, READ, field_object, subject
from propgraph.models import CasbinRule

HERE = Path(__file__).parent
MODEL_PATH = HERE / "rbac_model.conf"
DEFAULT_POLICY_PATH = HERE / "rbac_policy.csv"

log = logging.getLogger(__name__)

# rbac_model.conf's matcher and effect as Casbin stores them; RolePolicy
# evaluates exactly these directly, and asks Casbin for any other model.
MATCHER = "g(r_sub, p_sub) && keyMatch(r_obj, p_obj) && r_act == p_act"
EFFECT = "some(where (p_eft == allow)) && !some(where (p_eft == deny))"


def default_enforcer() -> casbin.Enforcer:
    """The policy as shipped, read from the files beside this module."""
    return casbin.Enforcer(str(MODEL_PATH), str(DEFAULT_POLICY_PATH))


async def install_default_policy(engine: AsyncEngine, *, replace: bool = False) -> bool:
    """Copy the default policy into the database if it holds none yet."""
    async with engine.connect() as conn:
        count = await conn.scalar(select(func.count()).select_from(CasbinRule))
    if count and not replace:
        return False
    adapter = Adapter(engine, db_class=CasbinRule)
    await adapter.save_policy(default_enforcer().get_model())
    log.info("installed the default authorization policy")
    return True


async def load_enforcer(engine: AsyncEngine) -> casbin.AsyncEnforcer:
    """The policy as stored in the database."""
    enforcer = casbin.AsyncEnforcer(str(MODEL_PATH), Adapter(engine, db_class=CasbinRule))
    await enforcer.load_policy()
    return enforcer


def enforcer_from_rows(rows: list[tuple[str, list[str]]]) -> casbin.Enforcer:
    """An in-memory enforcer of the model over ``(ptype, values)`` rows, as stored."""
    enforcer = casbin.Enforcer(str(MODEL_PATH))

    def lines(ptype: str) -> list[list[str]]:  # a batch with a repeated line adds nothing
        return [list(v) for v in dict.fromkeys(tuple(v) for k, v in rows if k == ptype)]

    for ptype in ("p", "p2"):
        if lines(ptype):
            enforcer.add_named_policies(ptype, lines(ptype))
    if lines("g"):
        enforcer.add_named_grouping_policies("g", lines("g"))
    return enforcer


def role_fingerprint(policy: RolePolicy) -> tuple[object, ...]:
    """Everything the role's schema and scope depend on: equal means the same schema."""
    scope_rules = tuple(
        rule for sub, rule in policy.enforcer.get_named_policy("p2") if sub == policy.role
    )
    return (
        policy.role,
        tuple(tuple(rule) for rule in policy._groups),
        tuple(tuple(rule) for rule in policy._lines),
        scope_rules,
    )


@dataclass
class RolePolicy:
    """What one role may use: fields (full or masked), mutations, its scope rule.

    Built once per role per process; the sets fill while the role's schema is
    built and are read-only afterwards.
    """

    role: str
    enforcer: casbin.Enforcer | casbin.AsyncEnforcer
    _seen: dict[str, bool] = field(default_factory=dict)
    _masked: dict[str, bool] = field(default_factory=dict)
    _subjects: dict[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def _own(self) -> casbin.Enforcer:
        """The policy cut down to the lines this role's subjects can match.

        ``enforce()`` evaluates the matcher against every ``p`` line; with
        only the role's own lines it is several times faster, and the answer
        is the same, since ``g(r.sub, p.sub)`` can only hold for those lines.
        """
        own = casbin.Enforcer(str(MODEL_PATH))
        own.add_named_grouping_policies("g", self._groups)
        own.add_named_policies("p", self._lines)
        return own

    @cached_property
    def _groups(self) -> list[list[str]]:
        groups = self.enforcer.get_named_grouping_policy("g")
        mine = self._closure(
            frozenset(subject(self.role, p) for p in (None, "HEAD", "CLERK")), groups
        )
        return [rule for rule in groups if rule[0] in mine]

    @staticmethod
    def _closure(subjects: frozenset[str], groups: list[list[str]]) -> frozenset[str]:
        """The subjects and every group they belong to, transitively (``g``)."""
        found = set(subjects)
        while True:
            more = {group for member, group, *_ in groups if member in found} - found
            if not more:
                return frozenset(found)
            found |= more

    @cached_property
    def _lines(self) -> list[list[str]]:
        subjects = self._closure(
            frozenset(subject(self.role, p) for p in (None, "HEAD", "CLERK")),
            self.enforcer.get_named_grouping_policy("g"),
        )
        return [rule for rule in self.enforcer.get_named_policy("p") if rule[0] in subjects]

    @cached_property
    def _direct(self) -> bool:
        """Whether the model is the one ``_evaluate`` implements (rbac_model.conf)."""
        model = self.enforcer.get_model()
        return (
            model["m"]["m"].value == MATCHER
            and model["e"]["e"].value == EFFECT
            and len(model["p"]["p"].tokens) == 4
        )

    def _evaluate(self, sub: str, obj: str, act: str) -> bool:
        """The model's matcher and effect over the role's own lines, without an
        expression evaluator: Casbin took ~3 ms per call, and building the nine
        role schemas asks ~2,300 times (tests/authz/test_policy_evaluation.py
        checks both agree on every question a schema asks)."""
        subjects = self._subjects.get(sub)
        if subjects is None:
            subjects = self._subjects[sub] = self._closure(frozenset({sub}), self._groups)
        allowed = False
        for p_sub, p_obj, p_act, p_eft in self._lines:
            if p_sub in subjects and p_act == act and key_match(obj, p_obj):
                if p_eft == "deny":
                    return False
                allowed = allowed or p_eft == "allow"
        return allowed

    def _enforce(self, sub: str, obj: str, act: str) -> bool:
        if self._direct:
            return self._evaluate(sub, obj, act)
        return bool(self._own.enforce(sub, obj, act))

    def shows(self, type_name: str, field_name: str) -> bool:
        """Whether the field exists in this role's schema."""
        obj = field_object(type_name, field_name)
        if obj not in self._seen:
            self._seen[obj] = self._enforce(self.role, obj, READ) or self._enforce(
                self.role, obj, MASK
            )
        return self._seen[obj]

    def masks(self, obj: str) -> bool:
        """Whether the role sees this field masked rather than in full."""
        if obj not in self._masked:
            self._masked[obj] = not self._enforce(self.role, obj, READ) and self._enforce(
                self.role, obj, MASK
            )
        return self._masked[obj]

    def may_call(self, mutation: str, position: str | None = None) -> bool:
        """Whether an account of this role (and position) may call the mutation."""
        return self._enforce(subject(self.role, position), f"Mutation.{mutation}", CALL)

    def may_call_any_position(self, mutation: str) -> bool:
        return any(self.may_call(mutation, p) for p in (None, "HEAD", "CLERK"))

    @cached_property
    def scope_rule(self) -> str:
        rules = [rule for sub, rule in self.enforcer.get_named_policy("p2") if sub == self.role]
        if len(rules) != 1:
            raise ValueError(f"the policy must name exactly one scope rule for {self.role}")
        rule: str = rules[0]
        return rule
