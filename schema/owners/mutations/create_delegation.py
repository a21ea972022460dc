"""createDelegation (OWNER, for all its units in one project)."""

from __future__ import annotations

from propgraph.clock import local_date
from propgraph.resolvers.graph.kinds import PROJECT
from propgraph.resolvers.owners import writes
from propgraph.resolvers.owners.kinds import DELEGATION
from propgraph.resolvers.owners.writes import visible
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.owners.inputs import CreateDelegationInput
from propgraph.schema.owners.payloads import DelegationPayload
from propgraph.schema.owners.types import Delegation
from propgraph.workflows import delegations
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import duplicate
from propgraph.workflows.subsidy import parse_mobile, parse_name


class CreateDelegation(BaseMutation):
    name = "createDelegation"
    description = (
        "Delegate all your units in one project to a person for a period; creates (or "
        "re-activates) their DELEGATE account, named in `delegateUsername`."
    )
    input_type = CreateDelegationInput
    payload_type = DelegationPayload

    @classmethod
    async def perform(cls, write: Write, data: CreateDelegationInput) -> DelegationPayload:
        conn, actor = write.conn, write.actor
        project = await visible(
            conn, write.viewer, PROJECT, pk_of(data.project_id, "Project"), "project", "projectId"
        )
        name = parse_name(data.delegate_name, "delegateName")
        phone = parse_mobile(data.delegate_phone, "delegatePhone")
        today = local_date(write.now)
        delegations.check_period(data.starts_on, data.ends_on, today)
        assert actor.owner_id is not None
        if await delegations.in_force_or_coming(conn, actor.owner_id, project.id, today):
            raise duplicate(
                "You already have a delegation in this project; revoke it first.", "projectId"
            )
        delegation_id = await writes.insert_delegation(
            conn,
            owner_id=actor.owner_id,
            project_id=project.id,
            delegate_name=name,
            delegate_phone=phone,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
        )
        username = await delegations.bind_account(conn, delegation_id, name, phone, today)
        await record_transition(
            conn,
            subject_type=delegations.SUBJECT,
            subject_id=delegation_id,
            actor=actor,
            at=write.now,
            action="delegation.create",
            from_status=None,
            to_status="ACTIVE",
        )
        row = await writes.reread(conn, DELEGATION, delegation_id)
        owner_name = await writes.owner_name(conn, actor.owner_id)
        await delegations.text_delegate(
            conn,
            phone=phone,
            owner_name=owner_name or "",
            project_name=project.name,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            username=username,
            delegation_id=delegation_id,
            now=write.now,
        )
        return DelegationPayload(delegation=Delegation.from_row(row, today))
