"""Strawberry types: one set of definitions, built into one schema per role.

Areas: ``relay`` (Node, global ids, connections), ``graph`` (the property
graph), ``viewer`` (``me``). ``build.py`` assembles the root types;
``authz/role_schema.py`` filters them per role.
"""
