"""Enums of the repair projects."""

from __future__ import annotations

import strawberry

from propgraph.models import repair

RepairKind = strawberry.enum(
    repair.RepairKind,
    description="一般 NORMAL (owners vote), 应急 EMERGENCY (no vote), 简易 SIMPLE (paid once).",
)
RepairStatus = strawberry.enum(repair.RepairStatus, description="Where a repair project stands.")
