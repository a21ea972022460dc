"""Accounts and run-time policies (SPEC 2, 3.3)."""
