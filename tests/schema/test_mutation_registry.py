"""What a mutation class must say to be registered (schema/mutation.py)."""

from __future__ import annotations

import pytest

from propgraph.schema.mutation import MUTATIONS, BaseMutation, Write
from propgraph.schema.repair.mutations.step import RepairStep


def test_a_shared_base_is_not_a_mutation_and_its_steps_are() -> None:
    names = {m.name for m in MUTATIONS}
    assert RepairStep not in MUTATIONS
    assert {"publishRepairProject", "submitRepairProject", "refundRepairProject"} <= names
    # each step takes its own workflow function, with the base's perform()
    steps = [m for m in MUTATIONS if issubclass(m, RepairStep)]
    assert len({m.step for m in steps}) == len(steps) == 3


def test_a_mutation_without_its_name_or_perform_is_refused() -> None:
    before = list(MUTATIONS)
    with pytest.raises(TypeError, match="must define name"):

        class Nameless(BaseMutation):
            description = "x"
            input_type = int
            payload_type = int

            @classmethod
            async def perform(cls, write: Write, data: object) -> object:
                return data

    with pytest.raises(TypeError, match="must define perform"):

        class Idle(BaseMutation):
            name = "idle"
            description = "x"
            input_type = int
            payload_type = int

    assert MUTATIONS == before
