"""createAccount (office HEAD, ENTERPRISE): preset an account under the two-position rule."""

from __future__ import annotations

from propgraph.models.enums import Position, Role
from propgraph.schema.accounts.inputs import CreateAccountInput
from propgraph.schema.accounts.payloads import AccountPayload
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.notice.types import Account
from propgraph.workflows import accounts


class CreateAccount(BaseMutation):
    name = "createAccount"
    description = (
        "Preset an account: a HEAD presets the CLERK accounts of its own office and the HEAD "
        "accounts of the level directly below inside its scope; an enterprise presets the "
        "MANAGER account of one of its projects (one per project)."
    )
    input_type = CreateAccountInput
    payload_type = AccountPayload

    @classmethod
    async def perform(cls, write: Write, data: CreateAccountInput) -> AccountPayload:
        new = accounts.NewAccount(
            username=data.username,
            name=data.name,
            phone=data.phone,
            role=Role(data.role.value),
            position=Position(data.position.value) if data.position else None,
            scope_id=data.scope_id,
        )
        row = await accounts.create(write.conn, write.viewer, new, write.now)
        return AccountPayload(account=Account.from_row(row))
