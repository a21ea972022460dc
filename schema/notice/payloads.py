"""Payloads of the notice mutations."""

from __future__ import annotations

import strawberry

from propgraph.schema.errors import UserError
from propgraph.schema.notice.types import Notice


@strawberry.type
class NoticePayload:
    notice: Notice | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
