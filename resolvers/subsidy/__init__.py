"""Scoped reads and versioned writes of the subsidy workflow."""
