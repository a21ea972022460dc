"""Scoped reads of the property graph."""
