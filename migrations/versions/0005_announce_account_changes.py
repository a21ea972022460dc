"""announce changes to accounts, delegations and the policy (PostgreSQL)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:00:00

Each gateway process caches compiled viewers (authz/viewer_cache.py) and
drops them when these triggers announce a change on ``propgraph_accounts``:
the account's username, or "*" for delegations and policy rows. The
announcement is sent when the changing transaction commits. SQLite runs in
one process and caches nothing, so it needs no trigger.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FUNCTIONS = {
    "propgraph_account_changed": "PERFORM pg_notify('propgraph_accounts', OLD.username);",
    "propgraph_access_changed": "PERFORM pg_notify('propgraph_accounts', '*');",
}
TRIGGERS = {
    "accounts": ("accounts_announce_change", "propgraph_account_changed"),
    "delegations": ("delegations_announce_change", "propgraph_access_changed"),
    "casbin_rule": ("casbin_rule_announce_change", "propgraph_access_changed"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, body in FUNCTIONS.items():
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
            f"BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql"
        )
    for table, (trigger, function) in TRIGGERS.items():
        events = "UPDATE OR DELETE" if table == "accounts" else "INSERT OR UPDATE OR DELETE"
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (trigger, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for name in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
