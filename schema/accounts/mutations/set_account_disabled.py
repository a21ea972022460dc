"""setAccountDisabled: switch off (or on) an account you may preset."""

from __future__ import annotations

from functools import partial

from propgraph.schema.accounts.inputs import SetAccountDisabledInput
from propgraph.schema.accounts.payloads import AccountPayload
from propgraph.schema.ids import pk_of
from propgraph.schema.mutation import BaseMutation, Write
from propgraph.schema.notice.types import Account
from propgraph.workflows import accounts


class SetAccountDisabled(BaseMutation):
    name = "setAccountDisabled"
    description = (
        "Disable (or enable again) an account you may preset; a disabled account is refused "
        "from its next request on, by every gateway process."
    )
    input_type = SetAccountDisabledInput
    payload_type = AccountPayload

    @classmethod
    async def perform(cls, write: Write, data: SetAccountDisabledInput) -> AccountPayload:
        pk = pk_of(data.id, "Account")
        row = await accounts.set_disabled(write.conn, write.viewer, pk, data.disabled, write.now)
        # Other processes hear of it from the accounts trigger (migration 0005), a few
        # milliseconds later; this one forgets the account's viewer at the commit.
        viewers = write.context.services.extras.get("viewers")
        if viewers is not None:
            write.after_commit(partial(viewers.changed, row.username))
        return AccountPayload(account=Account.from_row(row))
