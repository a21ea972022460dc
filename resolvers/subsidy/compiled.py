"""The subsidy workflow's types in SQL, for compiled reads (``resolvers/compiled``).

Mirrors ``schema/subsidy/types.py`` over the same scoped selects as the
loaders (``kinds.py``, ``dataloaders.py``). Timelines and evidence lists have
no shape: an operation asking for them is answered by the resolvers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select

from propgraph.models import SubsidyApplication, SubsidyStatus
from propgraph.resolvers.compiled.shapes import (
    Column,
    Day,
    Expression,
    GlobalId,
    Masked,
    Page,
    Parent,
    ScaledFloat,
    ScaledText,
    Timestamp,
    register_type,
)
from propgraph.resolvers.compiled.sql import NotCompilable, json_object, string
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.subsidy.kinds import (
    SUBSIDY_APPLICATION,
    SUBSIDY_BATCH,
    SUBSIDY_ROUND,
)

if TYPE_CHECKING:
    from propgraph.authz.viewer import Viewer
    from propgraph.resolvers.compiled.planner import Planned, Planner

# The order of ``SubsidyFigures.byStatus``: the statuses' own order.
STATUS_ORDER = "ARRAY[" + ", ".join(string(s.value) for s in SubsidyStatus) + "]::text[]"


def counted_applications(viewer: Viewer) -> Select[*tuple[Any, ...]]:
    """The applications the figures count: every one the viewer may see."""
    app = SubsidyApplication
    return select(
        app.district_id,
        app.street_id,
        app.community_id,
        app.round_id,
        app.status,
        app.enterprise_id,
        app.project_id,
        app.area,
        app.amount,
    ).where(viewer.scope.subsidy_applications())


@dataclass(frozen=True)
class StatusFigures:
    """``subsidyFigures`` of a node of ``level`` (or of the whole scope: "city")."""

    level: str

    def sql(self, plan: Planner, row: str, field: Planned) -> str:
        if plan.shape_argument(field, "roundId") is not None:
            raise NotCompilable("figures of one round")
        counted = plan.alias()
        source = plan.source(counted_applications(plan.viewer))
        where = "" if self.level == "city" else f"WHERE {counted}.{self.level}_id = {row}.id"
        figures = (
            f"count(*) AS applications, count(DISTINCT {counted}.enterprise_id) AS enterprises, "
            f"count(DISTINCT {counted}.project_id) AS projects, "
            f"coalesce(sum({counted}.area), 0) AS area, "
            f"coalesce(sum({counted}.amount), 0) AS amount"
        )
        pairs = []
        for key, sub in plan.subfields(field):
            each = plan.alias()
            if sub.name == "__typename":
                pairs.append((key, string(field.object_type.name)))
            elif sub.name == "total":
                obj = plan.object_sql(sub, sub.object_type, each)
                pairs.append(
                    (
                        key,
                        f"(SELECT {obj} FROM (SELECT NULL::text AS status, {figures} "
                        f"FROM ({source}) AS {counted} {where}) AS {each})",
                    )
                )
            elif sub.name == "byStatus":
                obj = plan.object_sql(sub.item(), sub.object_type, each)
                order = f"array_position({STATUS_ORDER}, {each}.status::text)"
                pairs.append(
                    (
                        key,
                        f"(SELECT coalesce(json_agg({obj} ORDER BY {order}), '[]'::json) "
                        f"FROM (SELECT {counted}.status, {figures} FROM ({source}) AS {counted} "
                        f"{where} GROUP BY {counted}.status) AS {each})",
                    )
                )
            else:
                raise NotCompilable(f"SubsidyFigures.{sub.name}")
        return json_object(pairs)


def _application_filter(value: Any) -> list[Any]:
    if value is None:
        return []
    if value.get("roundId") is not None:
        raise NotCompilable("applications of one round")
    status = value.get("status")
    if status is None:
        return []
    return [SubsidyApplication.status == SubsidyStatus(getattr(status, "value", status))]


register_type(
    "Query",
    {
        "subsidyApplications": Page(SUBSIDY_APPLICATION, filter=_application_filter),
        "subsidyFigures": StatusFigures("city"),
    },
)
for _level, _type in (("district", "District"), ("street", "Street"), ("community", "Community")):
    register_type(_type, {"subsidyFigures": StatusFigures(_level)})
register_type(
    "SubsidyStatusFigures",
    {
        "status": Column("status"),
        "applications": Column("applications"),
        "enterprises": Column("enterprises"),
        "projects": Column("projects"),
        "area": ScaledFloat("area"),
        "amount": ScaledFloat("amount"),
    },
)
register_type(
    "SubsidyRound",
    {
        "id": GlobalId("SubsidyRound"),
        "name": Column("name"),
        "ratePerSqmMonth": ScaledFloat("rate_per_sqm_month", 4),
        "months": Column("months"),
        "opensOn": Day("opens_on"),
        "closesOn": Day("closes_on"),
    },
    SUBSIDY_ROUND,
)
register_type(
    "SubsidyApplication",
    {
        "id": GlobalId("SubsidyApplication"),
        "status": Column("status"),
        "projectName": Column("project_name"),
        "managerName": Column("manager_name"),
        "managerPhone": Column("manager_phone"),
        "propertyType": Column("property_type"),
        "area": ScaledFloat("area"),
        "recordedArea": ScaledFloat("recorded_area"),
        "areaChanged": Expression("({row}.area <> {row}.recorded_area)"),
        "areaConfirmed": Column("area_confirmed"),
        "pledgeAccepted": Expression("({row}.pledge_accepted_at IS NOT NULL)"),
        "amount": ScaledFloat("amount"),
        "amountExact": ScaledText("amount"),
        "version": Column("version"),
        "createdAt": Timestamp("created_at"),
        "updatedAt": Timestamp("updated_at"),
        "bankAccount": Masked("bank_account", "bank_account", "SubsidyApplication.bankAccount"),
        "round": Parent(SUBSIDY_ROUND, "round_id"),
        "project": Parent(PROJECT, "project_id"),
    },
    SUBSIDY_APPLICATION,
)
register_type(
    "SubsidyBatch",
    {
        "id": GlobalId("SubsidyBatch"),
        "totalAmount": ScaledFloat("total_amount"),
        "totalAmountExact": ScaledText("total_amount"),
        "reportedAt": Timestamp("reported_at"),
        "paidOn": Day("paid_on"),
        "round": Parent(SUBSIDY_ROUND, "round_id"),
    },
    SUBSIDY_BATCH,
)
