"""Column helpers used across the models."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def enum_type(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint on both databases."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.name) for m in enum_class),
        validate_strings=True,
    )


def ancestor(table: str, *, nullable: bool = False) -> Mapped[int]:
    """An indexed foreign key to an ancestor in the hierarchy."""
    return mapped_column(ForeignKey(f"{table}.id"), index=True, nullable=nullable)
