"""One module per mutation; importing this package registers them all."""

from propgraph.schema.office.mutations import (  # noqa: F401 - imported to register
    approve_evaluation,
    decide_tender,
    file_tender,
    give_tender_opinion,
    score_project,
)
