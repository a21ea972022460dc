"""One module per mutation; importing this package registers them all."""

from propgraph.schema.owners.mutations import (  # noqa: F401 - imported to register
    cancel_meeting,
    cast_vote,
    create_delegation,
    nominate_voter,
    open_meeting,
    rate_project,
    revoke_delegation,
    upload_meeting_document,
    verify_owner,
)
