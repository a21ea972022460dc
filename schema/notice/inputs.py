"""Inputs of notices."""

from __future__ import annotations

import strawberry

from propgraph.schema.text import CheckedInput, max_length


@strawberry.input(description="A notice to every project manager in your office's subtree.")
class PublishNoticeInput(CheckedInput):
    title: str = strawberry.field(description="The title (up to 200 characters).")
    body: str = strawberry.field(
        description="The text (up to 10,000 characters).", metadata=max_length(10_000)
    )


@strawberry.input(description="One notice.")
class NoticeIdInput(CheckedInput):
    id: strawberry.ID = strawberry.field(description="The notice.")
