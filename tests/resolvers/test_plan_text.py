"""What a compiled statement's text holds: the rules' constants, never a caller's value."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from propgraph.models import Account, Todo
from propgraph.models.enums import Role
from propgraph.models.workflow import TodoStatus
from propgraph.resolvers.compiled.sql import Params, select_text


def test_rule_constants_are_literals_and_strings_are_parameters() -> None:
    params = Params()
    rule = or_(
        and_(Todo.status == TodoStatus.PENDING, Todo.role == Role.COMMUNITY),
        and_(Todo.status == TodoStatus.DONE, Todo.id > -1),
    )
    text = select_text(select(Todo.id).where(rule, Account.phone == "13800000000"), params)
    # statuses and roles PostgreSQL can prune and estimate by; a negative number kept apart
    assert "'PENDING'" in text and "'DONE'" in text and "'COMMUNITY'" in text
    assert "(-1)" in text
    # a string (an account's phone, a filter's text) is a parameter: one text for all
    assert "13800000000" not in text
    assert [slot({}, None) for slot in params.slots] == ["13800000000"]
