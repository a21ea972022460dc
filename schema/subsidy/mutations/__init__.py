"""One module per mutation; importing this package registers them all."""

from propgraph.schema.subsidy.mutations import (  # noqa: F401 - imported to register
    create_subsidy_application,
    delete_subsidy_application,
    mark_subsidy_batch_paid,
    open_subsidy_round,
    report_subsidy_batch,
    review_subsidy_application,
    submit_subsidy_application,
    update_subsidy_application,
    upload_evidence,
)
