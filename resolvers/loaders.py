"""The per-request registry of loaders, created on first use."""

from __future__ import annotations

from typing import Any

from propgraph.authz.viewer import Viewer
from propgraph.db import RequestDB
from propgraph.models import Building, Community, Project, Street, Unit
from propgraph.resolvers.graph.dataloaders import (
    ChildPageByParentLoader,
    NodeByIdLoader,
    OwnersByUnitLoader,
    StatsByNodeLoader,
    UnitsByOwnerLoader,
)
from propgraph.resolvers.graph.kinds import BUILDING, COMMUNITY, PROJECT, STREET, UNIT, NodeKind

# (child kind, parent column) of each nested connection of the graph.
CHILD_PAGES = {
    "streets_by_district": (STREET, Street.district_id),
    "communities_by_street": (COMMUNITY, Community.street_id),
    "projects_by_community": (PROJECT, Project.community_id),
    "projects_by_enterprise": (PROJECT, Project.enterprise_id),
    "buildings_by_project": (BUILDING, Building.project_id),
    "units_by_building": (UNIT, Unit.building_id),
}


class Loaders:
    def __init__(self, db: RequestDB, viewer: Viewer) -> None:
        self.db = db
        self.viewer = viewer
        self._loaders: dict[Any, Any] = {}
        # Predicates of filtered child connections, by their cache key.
        self.filters: dict[Any, Any] = {}

    def _get(self, key: Any, make: Any) -> Any:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = make()
        return loader

    def node(self, kind: NodeKind) -> NodeByIdLoader:
        return self._get(("node", kind.name), lambda: NodeByIdLoader(self.db, self.viewer, kind))

    def children(self, relation: str) -> ChildPageByParentLoader:
        kind, parent = CHILD_PAGES[relation]
        return self._get(
            ("children", relation),
            lambda: ChildPageByParentLoader(self.db, self.viewer, kind, parent, self.filters),
        )

    @property
    def owners_by_unit(self) -> OwnersByUnitLoader:
        return self._get("owners_by_unit", lambda: OwnersByUnitLoader(self.db, self.viewer))

    @property
    def units_by_owner(self) -> UnitsByOwnerLoader:
        return self._get("units_by_owner", lambda: UnitsByOwnerLoader(self.db, self.viewer))

    def stats(self, level: str) -> StatsByNodeLoader:
        return self._get(("stats", level), lambda: StatsByNodeLoader(self.db, self.viewer, level))

    def custom(self, key: Any, make: Any) -> Any:
        """A loader of another area, created once per request."""
        return self._get(key, make)
