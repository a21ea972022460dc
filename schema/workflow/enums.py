"""Enums of to-dos and notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from propgraph.models import workflow

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.models.workflow import Channel as Channel
    from propgraph.models.workflow import TodoStatus as TodoStatus
else:
    Channel = strawberry.enum(workflow.Channel, description="How a notification is delivered.")
    TodoStatus = strawberry.enum(workflow.TodoStatus, description="待办 PENDING or 已办 DONE.")
