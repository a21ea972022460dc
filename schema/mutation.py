"""The mutation base class: permission, one transaction, typed errors.

A subclass declares its GraphQL name, description, input and payload types,
and ``perform``, which returns the payload (its ``errors`` left empty).
Defining one without them fails at import time (saleor's ``BaseMutation``
does the same). The base checks the caller's position
against the policy (the role is already settled by the role's schema), runs
``perform`` in one transaction, and turns a ``MutationError`` into the
payload's ``errors`` after rolling everything back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.datastructures import UploadFile
from strawberry.types.field import StrawberryField

from propgraph import live
from propgraph.authz.viewer import AccountRow, Viewer
from propgraph.schema.context import Context, Info
from propgraph.schema.errors import UserError
from propgraph.workflows.errors import MutationError, forbidden

log = logging.getLogger("propgraph.mutations")

MUTATIONS: list[type[BaseMutation]] = []


@dataclass
class Write:
    """What ``perform`` works with: the open transaction, who acts, and when."""

    conn: AsyncConnection
    context: Context
    now: datetime
    # Undo steps for work outside the database (a stored file), run if the
    # transaction does not commit.
    undo: list[Callable[[], None]] = field(default_factory=list)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Work outside the database that must wait for the commit (removing a file)."""
        live.after_commit(self.conn, callback)

    @property
    def viewer(self) -> Viewer:
        return self.context.viewer

    @property
    def actor(self) -> AccountRow:
        assert self.context.viewer.account is not None
        return self.context.viewer.account


class BaseMutation:
    name: ClassVar[str]
    description: ClassVar[str]
    input_type: ClassVar[type]
    payload_type: ClassVar[type]

    def __init_subclass__(cls, abstract: bool = False, **kwargs: Any) -> None:
        """Register the mutation; ``abstract=True`` marks a shared base of several."""
        super().__init_subclass__(**kwargs)
        if abstract:
            return
        # its own name and description; the types and perform() may come from a shared base
        missing = [a for a in ("name", "description") if a not in cls.__dict__]
        missing += [a for a in ("input_type", "payload_type") if not hasattr(cls, a)]
        if missing:
            raise TypeError(f"{cls.__name__} must define {', '.join(missing)}")
        if cls.perform.__func__ is BaseMutation.perform.__func__:  # type: ignore[attr-defined]
            raise TypeError(f"{cls.__name__} must define perform()")
        MUTATIONS.append(cls)

    @classmethod
    async def perform(cls, write: Write, data: Any) -> Any:
        """Do the change; return the payload, an instance of ``payload_type``."""
        raise NotImplementedError

    @classmethod
    async def run(cls, info: Info, data: Any) -> Any:
        try:
            return await cls._run(info, data)
        finally:
            await _close_uploads(data)

    @classmethod
    async def _run(cls, info: Info, data: Any) -> Any:
        context = info.context
        viewer = context.viewer
        if viewer.account is None or not viewer.policy.may_call(cls.name, viewer.position):
            return cls.payload_type(errors=[UserError.from_error(forbidden())])
        write: Write | None = None
        try:
            async with context.db.transaction() as conn:
                write = Write(conn=conn, context=context, now=context.services.clock())
                payload = await cls.perform(write, data)
        except BaseException as error:
            for undo in reversed(write.undo if write else []):
                undo()
            if not isinstance(error, MutationError):
                raise
            log.info("mutation %s refused: %s", cls.name, error.code.value)
            return cls.payload_type(errors=[UserError.from_error(error)])
        assert isinstance(payload, cls.payload_type), f"{cls.name} must return its payload"
        return payload

    @classmethod
    def field(cls) -> StrawberryField:
        async def resolver(info: Any, input: Any) -> Any:
            return await cls.run(info, input)

        resolver.__annotations__ = {
            "info": Info,
            "input": cls.input_type,
            "return": cls.payload_type,
        }
        resolver.__name__ = cls.name
        field: StrawberryField = strawberry.mutation(resolver=resolver, description=cls.description)
        return field


async def _close_uploads(data: Any) -> None:
    """Uploaded files arrive spooled to temporary files that Strawberry leaves open."""
    for value in vars(data).values() if hasattr(data, "__dict__") else ():
        if isinstance(value, UploadFile):
            await value.close()


def mutation_root() -> type | None:
    """The Mutation type holding every defined mutation (filtered per role later)."""
    if not MUTATIONS:
        return None
    namespace = {cls.name: cls.field() for cls in MUTATIONS}
    root = type("Mutation", (), namespace)
    root.__doc__ = "Every change goes through here; each one is a single transaction."
    return strawberry.type(root, description="Changes; each mutation is one transaction.")
