"""The shape of the repair steps that take only the project and its version."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from propgraph.resolvers.repair.writes import visible_repair
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.repair.inputs import RepairStepInput
from propgraph.schema.repair.payloads import RepairProjectPayload
from propgraph.schema.repair.types import RepairProject

Step = Callable[
    ..., Awaitable[Any]
]  # workflows/repair_steps.py: (conn, *, row, actor, now, version)


class RepairStep(BaseMutation, abstract=True):
    """Load the viewer's repair project, take ``step`` on it, answer the project."""

    input_type = RepairStepInput
    payload_type = RepairProjectPayload
    step: ClassVar[Step]

    @classmethod
    async def perform(cls, write: Write, data: RepairStepInput) -> RepairProjectPayload:
        row = await visible_repair(write.conn, write.viewer, pk_of(data.id, "RepairProject"))
        updated = await cls.step(
            write.conn, row=row, actor=write.actor, now=write.now, version=data.version
        )
        return RepairProjectPayload(repair_project=RepairProject.from_row(updated))
