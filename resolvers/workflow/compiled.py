"""To-dos in SQL, for compiled reads (``resolvers/compiled``).

The row filter of ``kinds.py`` reads the viewer's account: plans hold its
keys as parameters, and are shared by the accounts of one role.
"""

from __future__ import annotations

from typing import Any

from propgraph.models import Todo, TodoStatus
from propgraph.resolvers.compiled.shapes import (
    Column,
    GlobalId,
    Page,
    Subject,
    Timestamp,
    register_type,
)
from propgraph.resolvers.workflow.kinds import TODO


def _status(value: Any) -> list[Any]:
    status = TodoStatus(getattr(value, "value", value))
    return [Todo.status == status]


register_type(
    "Query",
    {"todos": Page(TODO, filter=_status, filter_argument="status", descending=True)},
)
register_type(
    "Todo",
    {
        "id": GlobalId("Todo"),
        "kind": Column("kind"),
        "title": Column("title"),
        "status": Column("status"),
        "createdAt": Timestamp("created_at"),
        "doneAt": Timestamp("done_at"),
        "subject": Subject("subject_type", "subject_id"),
    },
    TODO,
)
