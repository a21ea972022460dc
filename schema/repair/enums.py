"""Enums of the repair projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from propgraph.models import repair

if TYPE_CHECKING:  # strawberry.enum returns the class it is given, registered for GraphQL
    from propgraph.models.repair import RepairKind as RepairKind
    from propgraph.models.repair import RepairStatus as RepairStatus
else:
    RepairKind = strawberry.enum(
        repair.RepairKind,
        description="一般 NORMAL (owners vote), 应急 EMERGENCY (no vote), 简易 SIMPLE (paid once).",
    )
    RepairStatus = strawberry.enum(
        repair.RepairStatus, description="Where a repair project stands."
    )
