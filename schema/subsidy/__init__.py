"""The epidemic-prevention subsidy workflow (SPEC 3.1)."""
