"""Alembic migrations. Run them with ``propgraph migrate``."""
