"""One module per mutation; importing this package registers them all."""

from propgraph.schema.repair.mutations import (  # noqa: F401 - imported to register
    create_repair_project,
)
