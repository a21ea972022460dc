"""Fields the owners area adds to the graph's types (Project, Unit, Owner)."""

from __future__ import annotations

from propgraph.resolvers.graph.dataloaders import NodeByIdLoader
from propgraph.resolvers.graph.kinds import OWNER
from propgraph.resolvers.owners import dataloaders as owner_loaders
from propgraph.schema.context import Info
from propgraph.schema.graph.types import Owner
from propgraph.schema.owners.types import (
    Delegation,
    Meeting,
    Nomination,
    ProjectRating,
    city_ratings,
    loader,
)


async def project_meetings(info: Info, project_pk: int) -> list[Meeting]:
    load = loader(info, owner_loaders.MeetingsByProjectLoader)
    return [Meeting.from_row(row) for row in await load.load(project_pk)]


async def project_rating(info: Info, project_pk: int) -> ProjectRating:
    row, rank = await city_ratings(info).of(project_pk)
    return ProjectRating.of(row, rank)


async def unit_voter(info: Info, unit_pk: int) -> Owner | None:
    load = loader(info, owner_loaders.VoterByUnitLoader)
    owner_pk = await load.load(unit_pk)
    if owner_pk is None:
        return None
    row = await info.context.loaders.get(NodeByIdLoader, OWNER).load(owner_pk)
    return Owner.from_row(row) if row else None


async def unit_nominations(info: Info, unit_pk: int) -> list[Nomination]:
    load = loader(info, owner_loaders.NominationsByUnitLoader)
    return [
        Nomination(owner_pk=row.owner_id, nominee_pk=row.nominee_id, at=row.at)
        for row in await load.load(unit_pk)
    ]


async def owner_delegations(info: Info, owner_pk: int) -> list[Delegation]:
    load = loader(info, owner_loaders.DelegationsByOwnerLoader)
    make = Delegation.at(info)
    return [make(row) for row in await load.load(owner_pk)]
