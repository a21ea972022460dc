"""Data access: scoped SQL statements and the per-request dataloaders."""
