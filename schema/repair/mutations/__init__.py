"""One module per mutation; importing this package registers them all."""

from propgraph.schema.repair.mutations import (  # noqa: F401 - imported to register
    accept_repair_project,
    cancel_repair_project,
    create_repair_project,
    import_repair_shares,
    pay_repair_stage,
    publish_repair_project,
    refund_repair_project,
    review_repair_project,
    start_repair_vote,
    submit_repair_project,
)
