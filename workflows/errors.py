"""Business failures of a change: the change rolls back, the caller gets a code."""

from __future__ import annotations

import enum


class ErrorCode(enum.Enum):
    NOT_FOUND = "NOT_FOUND"  # also: exists, but outside your scope
    FORBIDDEN = "FORBIDDEN"  # your role may call this, your position may not
    CONFLICT = "CONFLICT"  # the object changed since you read it (stale version)
    INVALID_STATE = "INVALID_STATE"  # not possible at the object's current stage
    VALIDATION = "VALIDATION"  # an input value is not acceptable; see `field`
    DUPLICATE = "DUPLICATE"  # it exists already


class MutationError(Exception):
    """Raised anywhere inside a mutation: the transaction rolls back, the payload reports it."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def not_found(what: str, field: str | None = "id") -> MutationError:
    return MutationError(ErrorCode.NOT_FOUND, f"No {what} with this id.", field)


def forbidden(message: str = "Your position may not do this.") -> MutationError:
    return MutationError(ErrorCode.FORBIDDEN, message)


def invalid(field: str, message: str) -> MutationError:
    return MutationError(ErrorCode.VALIDATION, message, field)


def invalid_state(message: str) -> MutationError:
    return MutationError(ErrorCode.INVALID_STATE, message)


def conflict() -> MutationError:
    return MutationError(
        ErrorCode.CONFLICT,
        "Someone changed this since you read it; reload it and try again.",
        "version",
    )


def duplicate(message: str, field: str | None = None) -> MutationError:
    return MutationError(ErrorCode.DUPLICATE, message, field)
