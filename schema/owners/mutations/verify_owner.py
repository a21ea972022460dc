"""verifyOwner (the COMMUNITY or STREET office of one of the owner's units)."""

from __future__ import annotations

from propgraph.models import OwnerVerification
from propgraph.resolvers.graph.kinds import OWNER
from propgraph.resolvers.owners.writes import reread, set_verification, visible
from propgraph.schema.graph.types import Owner
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import VerifyOwnerInput
from propgraph.schema.owners.payloads import OwnerPayload
from propgraph.workflows.audit import record_transition


class VerifyOwner(BaseMutation):
    name = "verifyOwner"
    description = (
        "Record an owner's real-name check (FACE, OFFLINE) or withdraw it (UNVERIFIED); "
        "only verified owners vote."
    )
    input_type = VerifyOwnerInput
    payload_type = OwnerPayload

    @classmethod
    async def perform(cls, write: Write, data: VerifyOwnerInput) -> OwnerPayload:
        owner = await visible(
            write.conn, write.viewer, OWNER, pk_of(data.owner_id, "Owner"), "owner", "ownerId"
        )
        verification = OwnerVerification(data.verification)
        await set_verification(write.conn, owner.id, verification)
        await record_transition(
            write.conn,
            subject_type="Owner",
            subject_id=owner.id,
            actor=write.actor,
            at=write.now,
            action="owner.verify",
            from_status=str(owner.verification),
            to_status=verification.value,
        )
        row = await reread(write.conn, OWNER, owner.id)
        return OwnerPayload(owner=Owner.from_row(row))
