"""To-dos in SQL, for compiled reads (``resolvers/compiled``).

The row filter of ``kinds.py`` reads the viewer's account: plans hold its
keys as parameters, and are shared by the accounts of one role.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from propgraph.authz.viewer import Viewer
from propgraph.models import TodoStatus
from propgraph.resolvers.compiled.shapes import (
    Column,
    GlobalId,
    Page,
    Subject,
    Timestamp,
    register_type,
)
from propgraph.resolvers.workflow.kinds import TODO, todos_in


def _in_status(viewer: Viewer, value: Any) -> Select[*tuple[Any, ...]]:
    return todos_in(viewer, TodoStatus(getattr(value, "value", value)))


register_type(
    "Query",
    {"todos": Page(TODO, rows=_in_status, filter_argument="status", descending=True)},
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
