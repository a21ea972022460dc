"""The node kinds of the graph: which table, which columns, which scope predicate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from propgraph.authz.scope import Predicate
from propgraph.authz.viewer import Viewer
from propgraph.models import (
    Building,
    Community,
    District,
    Enterprise,
    Owner,
    Project,
    Street,
    Unit,
)


@dataclass(frozen=True)
class NodeKind:
    """A GraphQL node type backed by one table."""

    name: str  # the GraphQL type name, also the prefix of its global ids
    model: type
    # The Scope method that filters it, or a predicate of the viewer for rows
    # that belong to a person rather than a subtree (to-dos, notifications).
    scope_table: str | None
    columns: Callable[[], Select[*tuple[Any, ...]]]
    row_filter: Callable[[Viewer], Predicate] | None = None

    def visible(self, viewer: Viewer) -> Predicate:
        if self.row_filter is not None:
            return self.row_filter(viewer)
        assert self.scope_table is not None
        return viewer.scope.for_table(self.scope_table)

    def scoped(self, viewer: Viewer) -> Select[*tuple[Any, ...]]:
        """Every row of this kind the viewer may see, with the columns the type needs."""
        return self.columns().where(self.visible(viewer))

    @property
    def id(self) -> Any:
        return self.model.id  # type: ignore[attr-defined]


def _project_columns() -> Select[*tuple[Any, ...]]:
    # Region names come with the project row: no extra statement per project.
    return (
        select(
            Project.id,
            Project.code,
            Project.name,
            Project.kind,
            Project.address,
            Project.service_phone,
            Project.total_area,
            Project.enterprise_id,
            Project.community_id,
            Community.name.label("community_name"),
            Street.name.label("street_name"),
            District.name.label("district_name"),
        )
        # Outer joins on the keys (every project has all three): PostgreSQL drops
        # them from a compiled read that asks for no region name.
        .outerjoin(Community, Community.id == Project.community_id)
        .outerjoin(Street, Street.id == Project.street_id)
        .outerjoin(District, District.id == Project.district_id)
    )


DISTRICT = NodeKind(
    "District", District, "districts", lambda: select(District.id, District.code, District.name)
)
STREET = NodeKind(
    "Street",
    Street,
    "streets",
    lambda: select(Street.id, Street.code, Street.name, Street.district_id),
)
COMMUNITY = NodeKind(
    "Community",
    Community,
    "communities",
    lambda: select(Community.id, Community.code, Community.name, Community.street_id),
)
PROJECT = NodeKind("Project", Project, "projects", _project_columns)
BUILDING = NodeKind(
    "Building",
    Building,
    "buildings",
    lambda: select(Building.id, Building.name, Building.project_id),
)
UNIT = NodeKind(
    "Unit",
    Unit,
    "units",
    lambda: select(Unit.id, Unit.number, Unit.floor_area, Unit.building_id),
)
OWNER = NodeKind(
    "Owner",
    Owner,
    "owners",
    lambda: select(Owner.id, Owner.name, Owner.phone, Owner.id_number, Owner.verification),
)
ENTERPRISE = NodeKind(
    "Enterprise",
    Enterprise,
    "enterprises",
    lambda: select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.bank_account),
)
