"""Per-request loaders of the graph: by id, child pages, many-to-many lists, stats.

Each batch is one SQL statement whatever the number of keys, and every
statement carries the viewer's scope. Names follow ``<Entity>By<Key>Loader``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from strawberry.dataloader import DataLoader

from propgraph.authz.scope import Scope
from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import Building, Community, Owner, Project, Street, Unit, UnitOwner
from propgraph.resolvers.graph.filters import ProjectFilterKey
from propgraph.resolvers.graph.kinds import (
    BUILDING,
    COMMUNITY,
    OWNER,
    PROJECT,
    STREET,
    UNIT,
    NodeKind,
)
from propgraph.resolvers.graph.stats import StatsRow, load_rolled_up_stats, load_stats
from propgraph.resolvers.paging import Page, PageArgs, fetch_pages, reserve_rows
from propgraph.resolvers.sql import ColumnLike, group_rows, ids_in


@dataclass(frozen=True, eq=False)
class ChildRelation:
    """A nested connection: the children of one kind under a parent column.

    Compared by identity (its column is an SQL expression), so only the
    constants below are used as loader parameters.
    """

    kind: NodeKind
    parent: ColumnLike


STREETS_BY_DISTRICT = ChildRelation(STREET, Street.district_id)
COMMUNITIES_BY_STREET = ChildRelation(COMMUNITY, Community.street_id)
PROJECTS_BY_COMMUNITY = ChildRelation(PROJECT, Project.community_id)
PROJECTS_BY_ENTERPRISE = ChildRelation(PROJECT, Project.enterprise_id)
BUILDINGS_BY_PROJECT = ChildRelation(BUILDING, Building.project_id)
UNITS_BY_BUILDING = ChildRelation(UNIT, Unit.building_id)


@dataclass(frozen=True)
class ChildPageKey:
    parent_id: int
    page: PageArgs
    # Narrows the children; part of the key, so the same filter → the same batch.
    filter: ProjectFilterKey | None = None


class NodeByIdLoader(DataLoader[int, Any]):
    """Rows of one kind by primary key; None for unknown or out-of-scope ids."""

    def __init__(self, db: RequestDB, viewer: Viewer, kind: NodeKind) -> None:
        async def load(ids: list[int]) -> list[Any]:
            rows = await db.all(kind.scoped(viewer).where(ids_in(kind.id, ids, db.dialect)))
            by_id = {row.id: row for row in rows}
            return [by_id.get(pk) for pk in ids]

        super().__init__(load_fn=load)


class ChildPageByParentLoader(DataLoader[ChildPageKey, Page[Any]]):
    """A page of children (one kind) for many parents at once."""

    def __init__(self, db: RequestDB, viewer: Viewer, relation: ChildRelation) -> None:
        kind, parent = relation.kind, relation.parent

        async def load(keys: list[ChildPageKey]) -> list[Page[Any]]:
            groups: dict[tuple[PageArgs, ProjectFilterKey | None], list[int]] = defaultdict(list)
            for key in keys:
                groups[(key.page, key.filter)].append(key.parent_id)
            pages: dict[tuple[int, PageArgs, ProjectFilterKey | None], Page[Any]] = {}
            for (args, row_filter), parent_ids in groups.items():
                query: Select[*tuple[Any, ...]] = kind.scoped(viewer)
                if row_filter is not None:
                    query = query.where(*row_filter.predicates())
                found = await fetch_pages(db, query, parent, kind.id, parent_ids, args)
                for pid, page in found.items():
                    pages[(pid, args, row_filter)] = page
            return [pages[(k.parent_id, k.page, k.filter)] for k in keys]

        super().__init__(load_fn=load)


def owners_of_units(scope: Scope) -> Select[*tuple[Any, ...]]:
    """Every visible (owner, unit) link, the owner's columns and ``link_unit_id``."""
    return (
        OWNER.columns()
        .add_columns(UnitOwner.unit_id.label("link_unit_id"))
        .join(UnitOwner, UnitOwner.owner_id == Owner.id)
        .where(scope.unit_owners())
    )


def units_of_owners(scope: Scope) -> Select[*tuple[Any, ...]]:
    """Every visible (unit, owner) link, the unit's columns and ``link_owner_id``."""
    return (
        UNIT.columns()
        .add_columns(UnitOwner.owner_id.label("link_owner_id"))
        .join(UnitOwner, UnitOwner.unit_id == Unit.id)
        .where(scope.unit_owners())
    )


class OwnersByUnitLoader(DataLoader[int, list[Any]]):
    """The visible owners of each unit (the link's scope decides, see authz/scope.py)."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        scope = viewer.scope

        async def load(unit_ids: list[int]) -> list[list[Any]]:
            rows = await db.all(
                owners_of_units(scope)
                .where(ids_in(UnitOwner.unit_id, unit_ids, db.dialect))
                .order_by(UnitOwner.unit_id, Owner.id)
            )
            reserve_rows(db, len(rows))
            return group_rows(rows, "link_unit_id", unit_ids)

        super().__init__(load_fn=load)


class UnitsByOwnerLoader(DataLoader[int, list[Any]]):
    """The visible units of each owner."""

    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        scope = viewer.scope

        async def load(owner_ids: list[int]) -> list[list[Any]]:
            rows = await db.all(
                units_of_owners(scope)
                .where(ids_in(UnitOwner.owner_id, owner_ids, db.dialect))
                .order_by(UnitOwner.owner_id, Unit.id)
            )
            reserve_rows(db, len(rows))
            return group_rows(rows, "link_owner_id", owner_ids)

        super().__init__(load_fn=load)


class StatsByNodeLoader(DataLoader[int, StatsRow]):
    """Stats of many nodes of one hierarchy level in one GROUP BY statement."""

    def __init__(self, db: RequestDB, viewer: Viewer, level: str) -> None:
        rolled_up = viewer.scope.sees_whole_subtree(level)

        async def load(ids: list[int]) -> list[StatsRow]:
            if rolled_up:
                return await load_rolled_up_stats(db, viewer.scope, level, ids)
            return await load_stats(db, viewer.scope, level, ids)

        super().__init__(load_fn=load)
