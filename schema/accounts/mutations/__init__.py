"""One module per mutation; importing this package registers them all."""

from propgraph.schema.accounts.mutations import (  # noqa: F401 - imported to register
    add_policy_rule,
    create_account,
    remove_policy_rule,
    set_account_disabled,
)
