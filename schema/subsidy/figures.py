"""Subsidy dashboard figures for a hierarchy node or the viewer's whole scope."""

from __future__ import annotations

import strawberry

from propgraph.resolvers.subsidy.dataloaders import SubsidyFiguresLoader
from propgraph.schema.context import Info
from propgraph.schema.ids import pk_of
from propgraph.schema.subsidy.types import SubsidyFigures


async def subsidy_figures(
    info: Info, level: str, node_id: int, round_id: strawberry.ID | None
) -> SubsidyFigures:
    round_pk = pk_of(round_id, "SubsidyRound")
    if round_id is not None and round_pk is None:
        return SubsidyFigures.from_rows([])  # no such round: nothing counted
    context = info.context
    loader = context.loaders.get(SubsidyFiguresLoader, level)
    return SubsidyFigures.from_rows(await loader.load((node_id, round_pk)))
