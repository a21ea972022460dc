"""nominateVoter (OWNER of the unit): name the voter of a unit you own with others."""

from __future__ import annotations

from propgraph.resolvers.graph.kinds import UNIT
from propgraph.resolvers.owners.writes import insert_nomination, reread, unit_owner_links, visible
from propgraph.schema.graph.types import Unit
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import NominateVoterInput
from propgraph.schema.owners.payloads import UnitPayload
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import invalid


class NominateVoter(BaseMutation):
    name = "nominateVoter"
    description = (
        "Nominate one of a unit's owners as its voter; it becomes the voter (Unit.voter) once "
        "every owner names the same person, from the next meeting on."
    )
    input_type = NominateVoterInput
    payload_type = UnitPayload

    @classmethod
    async def perform(cls, write: Write, data: NominateVoterInput) -> UnitPayload:
        conn, actor = write.conn, write.actor
        unit = await visible(
            conn, write.viewer, UNIT, pk_of(data.unit_id, "Unit"), "unit", "unitId"
        )
        nominee = pk_of(data.nominee_id, "Owner")
        link = await unit_owner_links(conn, unit.id)
        owners = {row.owner_id for row in link}
        if actor.owner_id not in owners:
            raise invalid("unitId", "You are not an owner of this unit.")
        if nominee not in owners:
            raise invalid("nomineeId", "The nominee must be an owner of this unit.")
        await insert_nomination(
            conn, link=link[0], owner_id=actor.owner_id, nominee_id=nominee, now=write.now
        )
        await record_transition(
            conn,
            subject_type="Unit",
            subject_id=unit.id,
            actor=actor,
            at=write.now,
            action="unit.nominate_voter",
            from_status=None,
            to_status=f"NOMINATED:{nominee}",
        )
        row = await reread(conn, UNIT, unit.id)
        return UnitPayload(unit=Unit.from_row(row))
