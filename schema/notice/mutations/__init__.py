"""One module per mutation; importing this package registers them all."""

from propgraph.schema.notice.mutations import (  # noqa: F401 - imported to register
    mark_notice_read,
    publish_notice,
    urge_notice,
)
