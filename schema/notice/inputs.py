"""Inputs of notices."""

from __future__ import annotations

import strawberry


@strawberry.input(description="A notice to every project manager in your office's subtree.")
class PublishNoticeInput:
    title: str = strawberry.field(description="The title (up to 200 characters).")
    body: str = strawberry.field(description="The text (up to 10,000 characters).")


@strawberry.input(description="One notice.")
class NoticeIdInput:
    id: strawberry.ID = strawberry.field(description="The notice.")
