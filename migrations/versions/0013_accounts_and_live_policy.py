"""accounts and run-time policy edits: policy rows, and the policy announcement

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 16:40:00

Policy lines for presetting accounts (``accounts``, ``createAccount``,
``setAccountDisabled``) and editing the policy (``policyRules``,
``addPolicyRule``, ``removePolicyRule``), added to a database whose policy
was installed earlier (as 0004 does).

On PostgreSQL a statement trigger on ``casbin_rule`` sends NOTIFY
``propgraph_policy`` when the changing transaction commits: every gateway
process reloads the policy and rebuilds the affected roles' schemas
(propgraph/policies.py), whoever changed the rows, even by hand in SQL.
"""

from __future__ import annotations

from alembic import op

from propgraph.migrations.policy import add_policy_lines, remove_policy_lines

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

HEADS = ("CITY:HEAD", "DISTRICT:HEAD", "STREET:HEAD", "COMMUNITY:HEAD", "ENTERPRISE")
RULES = [
    ("ENTERPRISE", "Query.accounts", "read"),
    ("ENTERPRISE", "Account.*", "read"),
    *((who, "Mutation.createAccount", "call") for who in HEADS),
    *((who, "Mutation.setAccountDisabled", "call") for who in HEADS),
    ("CITY", "Query.policyRules", "read"),
    ("CITY:HEAD", "Mutation.addPolicyRule", "call"),
    ("CITY:HEAD", "Mutation.removePolicyRule", "call"),
]
# Offices read every root field (`OFFICE, Query.*`); the policy is the city's alone.
DENIED = ("DISTRICT", "STREET", "COMMUNITY")
LINES = [
    *(("p", *rule, "allow") for rule in RULES),
    *(("p", office, "Query.policyRules", "read", "deny") for office in DENIED),
]


def upgrade() -> None:
    add_policy_lines(LINES)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION propgraph_policy_changed() RETURNS trigger AS $$ "
        "BEGIN PERFORM pg_notify('propgraph_policy', ''); RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER casbin_rule_announce_policy AFTER INSERT OR UPDATE OR DELETE "
        "ON casbin_rule FOR EACH STATEMENT EXECUTE FUNCTION propgraph_policy_changed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS casbin_rule_announce_policy ON casbin_rule")
        op.execute("DROP FUNCTION IF EXISTS propgraph_policy_changed()")
    remove_policy_lines(LINES)
