"""Text pieces of a compiled statement, and its parameters.

A plan's SQL text never holds a caller's value: every value is a numbered
parameter (``$1``…) filled per request by a ``Slot`` from the operation's
variables or the viewer's scope. So a plan is made once and asyncpg prepares
its statement once per connection. The rules' own constants (statuses, roles)
are written in as literals, so PostgreSQL's one plan can use them.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Integer, Select, bindparam
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from propgraph.authz.scope import Scope
from propgraph.schema.relay import CURSOR_PREFIX

# A value of the request: from its variables (coerced) and its viewer.
Slot = Callable[[dict[str, Any], Any], Any]

SCOPE_PARAM = "scope__"
ACCOUNT_PARAM = "account__"
# Written where a plan meets what it cannot answer (a non-null parent the
# viewer may not see, a subject of a type with no shape): the resolvers answer.
UNPLANNED = "__propgraph_unplanned__"
UNPLANNED_JSON = f"'\"{UNPLANNED}\"'::json"
_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it untyped
_POSITIONAL = re.compile(r"\$(\d+)")


class RawJSON(dict):  # type: ignore[type-arg]
    """An operation's ``data`` as PostgreSQL wrote it: sent on as text, never parsed.

    A dict (empty) to whoever checks; the gateway's encoder (role_app.py)
    writes ``text`` in its place.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class NotCompilable(Exception):
    """This operation (or this request's values) has no plan: the resolvers answer."""


@dataclass
class Params:
    """The slots of a statement, numbered in the order they appear."""

    slots: list[Slot] = dataclasses.field(default_factory=list)

    def add(self, slot: Slot, cast: str = "") -> str:
        self.slots.append(slot)
        return f"${len(self.slots)}{cast}"

    def lazy(self, slot: Slot, cast: str = "") -> Callable[[], str]:
        """A parameter numbered when first used: PostgreSQL refuses one it never sees."""
        text: list[str] = []

        def use() -> str:
            if not text:
                text.append(self.add(slot, cast))
            return text[0]

        return use

    def constant(self, value: Any, cast: str = "") -> str:
        return self.add(lambda _v, _s: value, cast)

    def compact(self, sql: str) -> str:
        """``sql`` without the parameters it never uses (PostgreSQL cannot type
        them: a page whose selection reads neither its size nor its cursor),
        the others renumbered in order; the slots follow."""
        used = sorted({int(number) for number in _POSITIONAL.findall(sql)})
        if used == list(range(1, len(self.slots) + 1)):
            return sql
        renumbered = {old: new for new, old in enumerate(used, start=1)}
        self.slots = [self.slots[old - 1] for old in used]
        return _POSITIONAL.sub(lambda m: f"${renumbered[int(m.group(1))]}", sql)

    def values(self, variables: dict[str, Any], viewer: Any) -> list[Any]:
        return [slot(variables, viewer) for slot in self.slots]


def symbolic_scope(scope: Scope) -> Scope:
    """The scope with each of its keys a named parameter: one plan for every node."""
    if not dataclasses.is_dataclass(scope):
        return scope
    keys = {
        f.name: bindparam(f"{SCOPE_PARAM}{f.name}", type_=Integer)
        for f in dataclasses.fields(scope)
        if isinstance(getattr(scope, f.name), int)
    }
    return dataclasses.replace(scope, **keys)


def scope_shape(scope: Scope) -> tuple[Any, ...]:
    """What a plan depends on in a scope: its rule and its non-key fields (a level)."""
    if not dataclasses.is_dataclass(scope):
        return (type(scope),)
    return (
        type(scope),
        *(
            (f.name, getattr(scope, f.name))
            for f in dataclasses.fields(scope)
            if not isinstance(getattr(scope, f.name), int)
        ),
    )


class SymbolicAccount:
    """The viewer's account for planning: its keys are parameters, and every
    other column a row filter reads (its role, its phone) is noted in ``reads``,
    so plans are shared by the accounts that agree on those."""

    def __init__(self, account: Any, reads: dict[str, Any]) -> None:
        self._account = account
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._account, name)
        if isinstance(value, int) and not isinstance(value, bool):
            return bindparam(f"{ACCOUNT_PARAM}{name}", type_=Integer)
        self._reads[name] = value
        return value


def _scope_value(name: str) -> Slot:
    return lambda _v, viewer: getattr(viewer.scope, name)


def _account_value(name: str) -> Slot:
    return lambda _v, viewer: getattr(viewer.account, name)


def select_text(query: Select[*tuple[Any, ...]], params: Params) -> str:
    """``query`` as PostgreSQL text whose binds are this statement's parameters."""
    compiled = query.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
    names = compiled.positiontup or []
    bound = compiled.params
    numbers: dict[int, str] = {}
    for position, name in enumerate(names, start=1):
        if name.startswith(SCOPE_PARAM):
            numbers[position] = params.add(_scope_value(name.removeprefix(SCOPE_PARAM)))
        elif name.startswith(ACCOUNT_PARAM):
            numbers[position] = params.add(_account_value(name.removeprefix(ACCOUNT_PARAM)))
        else:
            value = bound[name]
            numbers[position] = _literal(value) or params.constant(value)
    return _POSITIONAL.sub(lambda m: numbers[int(m.group(1))], compiled.string)


def _literal(value: Any) -> str | None:
    """A rule's own constant (a status, a role, a level; never a caller's value: those
    are slots) written into the text, or None: a parameter carries it.

    PostgreSQL plans a prepared statement once, generically: a parameter is a
    value it cannot see, so ``status = $1 OR status = $2`` keeps both branches
    and is estimated by rule of thumb, where ``status = 'PENDING'`` is pruned
    and estimated from the column's statistics, as a hand-written statement is.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return f"({value})" if value < 0 else str(value)
    if isinstance(value, Enum) and isinstance(value, str):
        return string(str.__str__(value))  # its value, as asyncpg sends the member
    return None  # strings (an account's phone, a filter's text) stay parameters: one text


def string(text: str) -> str:
    """A SQL string literal (only for our own names: keys, type names)."""
    return "'" + text.replace("'", "''") + "'"


# Standard base64 turns a 3-byte group into 4 characters of 6 bits each; only
# the values 62 and 63 ('+' and '/') differ in the URL-safe alphabet. Groups of
# ASCII digits (0x30-0x39, with or without padding) never reach them, so an id
# ``Type:<digits>`` needs the swap only if its prefix's own groups, or the one
# it shares with the first digits, can. (Checked by brute force below.)
_DIGIT_RUNS = tuple(
    "".join(run).encode() for n in (1, 2, 3) for run in itertools.product("0123456789", repeat=n)
)
# PostgreSQL's encode() breaks its base64 lines after 76 characters (57 bytes).
_LINE_BYTES = 57
_MAX_DIGITS = 20  # a bigint


def _in_url_alphabet(encoded: bytes) -> bool:
    return b"+" not in encoded and b"/" not in encoded


@functools.cache
def _digits_need_no_swap(prefix: str) -> bool:
    """Whether base64 of ``prefix`` followed by any non-negative integer has no '+' or '/'."""
    raw = prefix.encode()
    whole = len(raw) - len(raw) % 3
    head, shared = raw[:whole], raw[whole:]
    if len(raw) + _MAX_DIGITS > _LINE_BYTES or not _in_url_alphabet(base64.b64encode(head)):
        return False
    runs = [run for run in _DIGIT_RUNS if len(run) <= 3 - len(shared)] if shared else []
    return all(_in_url_alphabet(base64.b64encode(shared + run)) for run in runs)


def prefixed_base64url(prefix: str, digits: str) -> str:
    """Python's ``base64.urlsafe_b64encode`` of ``prefix`` followed by the non-negative
    integer ``digits`` (SQL), in SQL. For our prefixes standard base64 is already
    URL-safe (``translate`` cost 1.2 µs per id, most of a dashboard's ids' cost)."""
    encoded = f"encode(convert_to({string(prefix)} || ({digits}), 'UTF8'), 'base64')"
    if _digits_need_no_swap(prefix):
        return encoded
    if len(prefix.encode()) + _MAX_DIGITS <= _LINE_BYTES:
        return f"replace(replace({encoded}, '+', '-'), '/', '_')"
    return f"translate({encoded}, E'+/\\n', '-_')"


def global_id(type_name: str, key: str) -> str:
    """``schema/relay.to_global_id`` in SQL (``key``: an integer column, never negative)."""
    return prefixed_base64url(type_name + ":", key)


def cursor(index: str) -> str:
    """``schema/relay.encode_cursor`` in SQL (``index``: a row number from 0)."""
    return prefixed_base64url(CURSOR_PREFIX, index)


def json_object(pairs: list[tuple[str, str]]) -> str:
    """``json_build_object`` of (response key, SQL) pairs, in order."""
    if len(pairs) > 50:  # PostgreSQL takes at most 100 arguments
        raise NotCompilable("more than 50 fields in one selection")
    return "json_build_object(" + ", ".join(f"{string(k)}, {v}" for k, v in pairs) + ")"
