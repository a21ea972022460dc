"""Inputs of the graph's list fields."""

from __future__ import annotations

import strawberry

from propgraph.resolvers.graph.filters import ProjectFilterKey
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

    def key(self) -> ProjectFilterKey | None:
        """The filter as a loader key (None when it narrows nothing); SQL is built from it
        in resolvers/."""
        return ProjectFilterKey.of(self.kind, self.name_contains)
