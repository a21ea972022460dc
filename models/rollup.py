"""Drill-down figures kept per hierarchy node, so a city dashboard need not count 3M units."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from propgraph.models.base import Base, ScaledDecimal, UTCDateTime


class NodeStats(Base):
    """Whole-subtree counts of one District, Street, Community or Project.

    Only viewers who see a node's whole subtree read these (authz/scope.py
    ``sees_whole_subtree``); everyone else's figures are counted live.
    """

    __tablename__ = "node_stats"

    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    node_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    projects: Mapped[int] = mapped_column(Integer)
    buildings: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(BigInteger)
    floor_area: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    owners: Mapped[int] = mapped_column(BigInteger)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
