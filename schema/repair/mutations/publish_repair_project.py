"""publishRepairProject (the project's enterprise or manager)."""

from __future__ import annotations

from propgraph.schema.repair.mutations.step import RepairStep
from propgraph.workflows import repair_steps


class PublishRepairProject(RepairStep):
    name = "publishRepairProject"
    description = (
        "Publish the project (立项公示): at once for an emergency, after a passed vote "
        "for the others. A vote that failed ends the project instead (CANCELLED)."
    )
    step = staticmethod(repair_steps.publish)
