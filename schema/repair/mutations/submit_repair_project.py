"""submitRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.schema.repair.mutations.step import RepairStep
from propgraph.workflows import repair_steps


class SubmitRepairProject(RepairStep):
    name = "submitRepairProject"
    description = (
        "Submit the project to the district for review (立项申请); a simple project "
        "after its acceptance."
    )
    step = staticmethod(repair_steps.submit)
