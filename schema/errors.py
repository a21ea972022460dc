"""Typed business errors in mutation payloads: ``UserError {code message field}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from propgraph.workflows import errors

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.workflows.errors import ErrorCode as ErrorCode
else:
    ErrorCode = strawberry.enum(errors.ErrorCode, description="Why a mutation did not happen.")


@strawberry.type(description="A business error: the mutation changed nothing.")
class UserError:
    code: ErrorCode = strawberry.field(description="What kind of failure.")
    message: str = strawberry.field(description="A sentence for the user.")
    field: str | None = strawberry.field(description="The input field at fault, if one is.")

    @classmethod
    def from_error(cls, error: errors.MutationError) -> UserError:
        return cls(code=error.code, message=error.message, field=error.field)
