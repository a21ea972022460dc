"""Process-wide services the app hands to every request: engine, clock, policy, settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from propgraph.clock import local_date, system_clock
from propgraph.db import DriverPool
from propgraph.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    # One clock for every time rule, so tests can set it (SPEC 3.3).
    clock: Callable[[], datetime] = system_clock
    # Filled at start-up: role name → RolePolicy, role name → built schema.
    policies: dict[str, Any] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    # asyncpg's own pool for the direct path's one statement (PostgreSQL; db.py).
    driver_pool: DriverPool | None = None

    def today(self) -> date:
        return local_date(self.clock())
