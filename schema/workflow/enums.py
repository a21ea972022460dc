"""Enums of to-dos and notifications."""

from __future__ import annotations

import strawberry

from propgraph.models import workflow

Channel = strawberry.enum(workflow.Channel, description="How a notification is delivered.")
TodoStatus = strawberry.enum(workflow.TodoStatus, description="待办 PENDING or 已办 DONE.")
