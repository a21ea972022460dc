"""refundRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.schema.repair.mutations.step import RepairStep
from propgraph.workflows import repair_steps


class RefundRepairProject(RepairStep):
    name = "refundRepairProject"
    description = (
        "清退: return every paid fen to the unit accounts it came from; the plan is unpaid again."
    )
    step = staticmethod(repair_steps.refund)
