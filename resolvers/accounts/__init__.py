"""Accounts as nodes: who may see which, and the `accounts` list."""
