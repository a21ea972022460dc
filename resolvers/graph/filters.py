"""Filters of the graph's lists, as loader keys; their SQL is built here only.

A filter travels inside a loader key (``ChildPageKey.filter``), so it is a
frozen, hashable value: equal filters share one batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from propgraph.models import Project
from propgraph.models.enums import ProjectKind

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement


@dataclass(frozen=True)
class ProjectFilterKey:
    """Only projects of this kind, and whose name contains this text."""

    kind: ProjectKind | None = None
    name_contains: str | None = None

    @classmethod
    def of(cls, kind: ProjectKind | None, name_contains: str | None) -> ProjectFilterKey | None:
        """The key of a filter, or None when it narrows nothing."""
        if kind is None and not name_contains:
            return None
        return cls(kind, name_contains or None)

    def predicates(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.kind is not None:
            found.append(Project.kind == self.kind)
        if self.name_contains:
            found.append(Project.name.contains(self.name_contains, autoescape=True))
        return found
