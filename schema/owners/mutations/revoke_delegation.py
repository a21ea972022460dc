"""revokeDelegation (OWNER): ends a delegation at once, from the next request on."""

from __future__ import annotations

from propgraph.clock import local_date
from propgraph.resolvers.owners.kinds import DELEGATION
from propgraph.resolvers.owners.writes import reread, revoke_delegation, visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import RevokeDelegationInput
from propgraph.schema.owners.payloads import DelegationPayload
from propgraph.schema.owners.types import Delegation
from propgraph.workflows.audit import record_transition
from propgraph.workflows.delegations import SUBJECT
from propgraph.workflows.errors import invalid_state


class RevokeDelegation(BaseMutation):
    name = "revokeDelegation"
    description = "Revoke one of your delegations; the delegate loses access at once."
    input_type = RevokeDelegationInput
    payload_type = DelegationPayload

    @classmethod
    async def perform(cls, write: Write, data: RevokeDelegationInput) -> DelegationPayload:
        conn = write.conn
        row = await visible(
            conn, write.viewer, DELEGATION, pk_of(data.id, "Delegation"), "delegation"
        )
        today = local_date(write.now)
        if row.revoked_at is not None:
            raise invalid_state("This delegation is already revoked.")
        if row.ends_on < today:
            raise invalid_state("This delegation is already over.")
        if not await revoke_delegation(conn, row.id, write.now):
            raise invalid_state("This delegation is already revoked.")
        await record_transition(
            conn,
            subject_type=SUBJECT,
            subject_id=row.id,
            actor=write.actor,
            at=write.now,
            action="delegation.revoke",
            from_status="ACTIVE",
            to_status="REVOKED",
        )
        row = await reread(conn, DELEGATION, row.id)
        return DelegationPayload(delegation=Delegation.from_row(row, today))
