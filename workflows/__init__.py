"""Workflow rules: state machines, and what every transition writes.

- ``audit.py``: the append-only trail (who, role, when, from → to, comment).
- ``outbox.py``: notifications written in the transaction, delivered after.
- ``todos.py``: 待办/已办 items for the level that must act.
- ``subsidy.py``: the epidemic-prevention subsidy state machine (SPEC 3.1).
"""
