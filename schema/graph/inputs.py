"""Inputs of the graph's list fields."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import ColumnElement

from propgraph.models import Project
from propgraph.schema.graph.enums import ProjectKind
from propgraph.schema.text import MAX_SEARCH_TEXT, CheckedInput, max_length


@strawberry.input(description="Narrow a project list.")
class ProjectFilter(CheckedInput):
    kind: ProjectKind | None = strawberry.field(default=None, description="Only this kind.")
    name_contains: str | None = strawberry.field(
        default=None,
        description=(
            f"Only projects whose name contains this text (at most {MAX_SEARCH_TEXT} characters)."
        ),
        metadata=max_length(MAX_SEARCH_TEXT),
    )

    def key(self) -> Any:
        return ("project", self.kind, self.name_contains)

    def predicates(self) -> list[ColumnElement[bool]]:
        found = []
        if self.kind is not None:
            found.append(Project.kind == self.kind)
        if self.name_contains:
            found.append(Project.name.contains(self.name_contains, autoescape=True))
        return found
