"""propgraph: the service package (settings, database, app factory, CLI)."""

__version__ = "0.1.0"
