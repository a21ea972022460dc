"""The property graph's types in SQL, for compiled reads (``resolvers/compiled``).

Each entry mirrors a field of ``schema/graph/types.py`` and reads from the
same scoped selects as the loaders beside it (``kinds.py``,
``dataloaders.py``, ``stats.py``): what a role may see is decided there once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from propgraph.resolvers.compiled.shapes import (
    Column,
    Embedded,
    Figures,
    GlobalId,
    Linked,
    Masked,
    NodeById,
    NodesByIds,
    Page,
    Parent,
    ScaledFloat,
    register_type,
)
from propgraph.resolvers.graph.dataloaders import owners_of_units, units_of_owners
from propgraph.resolvers.graph.kinds import (
    BUILDING,
    COMMUNITY,
    DISTRICT,
    ENTERPRISE,
    OWNER,
    PROJECT,
    STREET,
    UNIT,
)
from propgraph.resolvers.graph.stats import live_figures

if TYPE_CHECKING:
    from propgraph.schema.graph.inputs import ProjectFilter


def _project_filter(value: ProjectFilter | dict[str, Any] | None) -> list[object]:
    from propgraph.schema.graph.inputs import ProjectFilter
    from propgraph.schema.text import from_graphql

    if value is None:
        return []
    parsed: ProjectFilter = (
        value if isinstance(value, ProjectFilter) else from_graphql(ProjectFilter, value)
    )
    key = parsed.key()
    return list(key.predicates()) if key is not None else []


def _figures(level: str) -> Figures:
    return Figures(level, live_figures)


register_type(
    "Query",
    {
        "node": NodeById(),
        "nodes": NodesByIds(),
        "districts": Page(DISTRICT),
        "streets": Page(STREET),
        "communities": Page(COMMUNITY),
        "projects": Page(PROJECT, filter=_project_filter),
        "enterprises": Page(ENTERPRISE),
    },
)
register_type(
    "Stats",
    {
        "projects": Column("projects"),
        "buildings": Column("buildings"),
        "units": Column("units"),
        "floorArea": ScaledFloat("floor_area"),
        "owners": Column("owners"),
    },
)
register_type(
    "Region",
    {
        "districtName": Column("district_name"),
        "streetName": Column("street_name"),
        "communityName": Column("community_name"),
    },
)
register_type(
    "District",
    {
        "id": GlobalId("District"),
        "code": Column("code"),
        "name": Column("name"),
        "stats": _figures("district"),
        "streets": Page(STREET, parent="district_id"),
    },
    DISTRICT,
)
register_type(
    "Street",
    {
        "id": GlobalId("Street"),
        "code": Column("code"),
        "name": Column("name"),
        "district": Parent(DISTRICT, "district_id"),
        "stats": _figures("street"),
        "communities": Page(COMMUNITY, parent="street_id"),
    },
    STREET,
)
register_type(
    "Community",
    {
        "id": GlobalId("Community"),
        "code": Column("code"),
        "name": Column("name"),
        "street": Parent(STREET, "street_id"),
        "stats": _figures("community"),
        "projects": Page(PROJECT, parent="community_id", filter=_project_filter),
    },
    COMMUNITY,
)
register_type(
    "Project",
    {
        "id": GlobalId("Project"),
        "code": Column("code"),
        "name": Column("name"),
        "kind": Column("kind"),
        "address": Column("address"),
        "servicePhone": Column("service_phone"),
        "totalArea": ScaledFloat("total_area"),
        "region": Embedded(),
        "community": Parent(COMMUNITY, "community_id"),
        "enterprise": Parent(ENTERPRISE, "enterprise_id"),
        "stats": _figures("project"),
        "buildings": Page(BUILDING, parent="project_id"),
    },
    PROJECT,
)
register_type(
    "Building",
    {
        "id": GlobalId("Building"),
        "name": Column("name"),
        "project": Parent(PROJECT, "project_id"),
        "units": Page(UNIT, parent="building_id"),
    },
    BUILDING,
)
register_type(
    "Unit",
    {
        "id": GlobalId("Unit"),
        "number": Column("number"),
        "floorArea": ScaledFloat("floor_area"),
        "building": Parent(BUILDING, "building_id"),
        "owners": Linked(lambda viewer: owners_of_units(viewer.scope), "link_unit_id"),
    },
    UNIT,
)
register_type(
    "Owner",
    {
        "id": GlobalId("Owner"),
        "name": Column("name"),
        "verification": Column("verification"),
        "phone": Masked("phone", "phone", "Owner.phone"),
        "idNumber": Masked("id_number", "id_number", "Owner.idNumber"),
        "units": Linked(lambda viewer: units_of_owners(viewer.scope), "link_owner_id"),
    },
    OWNER,
)
register_type(
    "Enterprise",
    {
        "id": GlobalId("Enterprise"),
        "name": Column("name"),
        "creditCode": Column("credit_code"),
        "bankAccount": Masked("bank_account", "bank_account", "Enterprise.bankAccount"),
        "projects": Page(PROJECT, parent="enterprise_id"),
    },
    ENTERPRISE,
)
