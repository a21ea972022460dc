"""rateProject (OWNER, or the DELEGATE for its owner): this year's stars per unit."""

from __future__ import annotations

from propgraph.clock import local_date
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.owners.writes import (
    active_delegation,
    reread,
    units_of_owner_in_project,
    upsert_ratings,
    visible,
)
from propgraph.schema.graph.types import Project
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import RateProjectInput
from propgraph.schema.owners.payloads import ProjectPayload
from propgraph.workflows.errors import invalid_state, not_found
from propgraph.workflows.ratings import parse_stars


class RateProject(BaseMutation):
    name = "rateProject"
    description = (
        "Rate your project's property service this year, 1–5 stars on each of the five "
        "items, for each of your units there; rating again replaces it."
    )
    input_type = RateProjectInput
    payload_type = ProjectPayload

    @classmethod
    async def perform(cls, write: Write, data: RateProjectInput) -> ProjectPayload:
        conn, actor, viewer = write.conn, write.actor, write.viewer
        project = await visible(
            conn, viewer, PROJECT, pk_of(data.project_id, "Project"), "project", "projectId"
        )
        stars = parse_stars(data.stars)
        today = local_date(write.now)
        if viewer.delegation is not None:  # a delegate, for its owner
            owner_id = viewer.delegation[0]
        else:
            assert actor.owner_id is not None
            owner_id = actor.owner_id
            if await active_delegation(conn, owner_id, project.id, today):
                raise invalid_state(
                    "Your delegation in this project is in force: your delegate rates for you."
                )
        units = await units_of_owner_in_project(conn, owner_id, project.id)
        if not units:
            raise not_found("project", "projectId")
        rows = [
            {
                "project_id": project.id,
                "unit_id": unit,
                "year": today.year,
                "owner_id": owner_id,
                "account_id": actor.id,
                "rated_at": write.now,
                **stars,
            }
            for unit in units
        ]
        await upsert_ratings(conn, rows, replaced=("owner_id", "account_id", "rated_at", *stars))
        row = await reread(conn, PROJECT, project.id)
        return ProjectPayload(project=Project.from_row(row))
