"""Mutations every account has."""

from propgraph.schema.workflow.mutations import mark_notification_read  # noqa: F401
