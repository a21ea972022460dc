"""``ownerStats`` of District, Street, Community, Project and of the whole scope."""

from __future__ import annotations

import strawberry

from propgraph.resolvers.owners.stats import CITY, OwnerFigures, OwnerFiguresByNodeLoader
from propgraph.schema.context import Info


@strawberry.type(description="Owners' figures for the drill-down, counting what you may see.")
class OwnerStats:
    owners: int = strawberry.field(description="Distinct owners of the units.")
    verified_owners: int = strawberry.field(description="Of them, verified (FACE or OFFLINE).")
    verified_owner_rate: float = strawberry.field(description="verifiedOwners / owners; 0 if none.")
    meetings_held: int = strawberry.field(
        description="Meetings whose voting is over (not cancelled)."
    )
    turnout: float = strawberry.field(
        description="Units that voted / eligible units, over the meetings held; 0 if none."
    )
    topics: int = strawberry.field(description="Topics of the meetings held.")
    topics_passed: int = strawberry.field(description="Of them, passed under their rule.")

    @classmethod
    def of(cls, f: OwnerFigures) -> OwnerStats:
        return cls(
            owners=f.owners,
            verified_owners=f.verified_owners,
            verified_owner_rate=round(f.verified_owners / f.owners, 4) if f.owners else 0.0,
            meetings_held=f.meetings_held,
            turnout=round(f.voted_units / f.eligible_units, 4) if f.eligible_units else 0.0,
            topics=f.topics,
            topics_passed=f.topics_passed,
        )


async def owner_stats_of(info: Info, level: str | None, pk: int = CITY) -> OwnerStats:
    context = info.context
    loader = context.loaders.get(OwnerFiguresByNodeLoader, level, context.services.clock())
    return OwnerStats.of(await loader.load(pk))


async def owner_stats(info: Info) -> OwnerStats:
    """Root field: the viewer's whole scope."""
    return await owner_stats_of(info, None)
