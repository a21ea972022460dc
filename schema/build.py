"""Assemble the root types and every node type, then build one schema per role."""

from __future__ import annotations

from typing import Any

import casbin

from propgraph.authz.permissions import SCHEMA_ROLES
from propgraph.authz.policy import RolePolicy
from propgraph.authz.role_schema import RoleSchema
from propgraph.resolvers.accounts.kinds import ACCOUNT
from propgraph.resolvers.graph import compiled as _graph_shapes  # noqa: F401 - registers
from propgraph.resolvers.graph.kinds import (
    BUILDING,
    COMMUNITY,
    DISTRICT,
    ENTERPRISE,
    OWNER,
    PROJECT,
    STREET,
    UNIT,
)
from propgraph.resolvers.notice.kinds import NOTICE
from propgraph.resolvers.office.kinds import EVALUATION, TENDER_FILING
from propgraph.resolvers.owners.kinds import DELEGATION, MEETING, TOPIC
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT
from propgraph.resolvers.subsidy import compiled as _subsidy_shapes  # noqa: F401 - registers
from propgraph.resolvers.subsidy.kinds import (
    EVIDENCE,
    SUBSIDY_APPLICATION,
    SUBSIDY_BATCH,
    SUBSIDY_ROUND,
)
from propgraph.resolvers.workflow import compiled as _workflow_shapes  # noqa: F401 - registers
from propgraph.resolvers.workflow.kinds import NOTIFICATION, TODO
from propgraph.schema import subsidy as _subsidy_area  # noqa: F401
from propgraph.schema.accounts import mutations as _accounts_mutations  # noqa: F401 - registers
from propgraph.schema.graph.types import (
    Building,
    Community,
    District,
    Enterprise,
    Owner,
    Project,
    Street,
    Unit,
)
from propgraph.schema.mutation import mutation_root
from propgraph.schema.nodes import register_node
from propgraph.schema.notice import mutations as _notice_mutations  # noqa: F401 - registers
from propgraph.schema.notice.types import Account, Notice
from propgraph.schema.office import mutations as _office_mutations  # noqa: F401 - registers
from propgraph.schema.office.types import Evaluation, TenderFiling
from propgraph.schema.owners import mutations as _owners_mutations  # noqa: F401 - registers
from propgraph.schema.owners.types import Delegation, Meeting, Topic
from propgraph.schema.query import Query
from propgraph.schema.repair import mutations as _repair_mutations  # noqa: F401 - registers
from propgraph.schema.repair.types import RepairProject
from propgraph.schema.subsidy import mutations as _subsidy_mutations  # noqa: F401 - registers
from propgraph.schema.subsidy.types import Evidence, SubsidyApplication, SubsidyBatch, SubsidyRound
from propgraph.schema.workflow import mutations as _workflow_mutations  # noqa: F401 - registers
from propgraph.schema.workflow.subscriptions import Subscription
from propgraph.schema.workflow.types import Notification, Todo

GRAPH_NODES: list[tuple[Any, Any]] = [
    (DISTRICT, District),
    (STREET, Street),
    (COMMUNITY, Community),
    (PROJECT, Project),
    (BUILDING, Building),
    (UNIT, Unit),
    (OWNER, Owner),
    (ENTERPRISE, Enterprise),
]
WORKFLOW_NODES: list[tuple[Any, Any]] = [
    (SUBSIDY_ROUND, SubsidyRound),
    (SUBSIDY_APPLICATION, SubsidyApplication),
    (EVIDENCE, Evidence),
    (SUBSIDY_BATCH, SubsidyBatch),
    (TODO, Todo),
    (NOTIFICATION, Notification),
    (DELEGATION, Delegation),
    (MEETING, Meeting),
    (TOPIC, Topic),
    (EVALUATION, Evaluation),
    (TENDER_FILING, TenderFiling),
    (NOTICE, Notice),
    (ACCOUNT, Account),
    (REPAIR_PROJECT, RepairProject),
]
for _kind, _type in GRAPH_NODES + WORKFLOW_NODES:
    register_node(_kind, _type.from_row)

NODE_TYPES: list[Any] = [t for _, t in GRAPH_NODES + WORKFLOW_NODES]
MUTATION: type | None = mutation_root()


def build_schema(policy: RolePolicy) -> RoleSchema:
    return RoleSchema(
        policy, query=Query, mutation=MUTATION, subscription=Subscription, types=NODE_TYPES
    )


def build_role_schemas(
    enforcer: casbin.Enforcer | casbin.AsyncEnforcer,
) -> tuple[dict[str, RolePolicy], dict[str, RoleSchema]]:
    policies = {role: RolePolicy(role, enforcer) for role in SCHEMA_ROLES}
    schemas = {role: build_schema(policy) for role, policy in policies.items()}
    return policies, schemas


_built: dict[tuple[Any, ...], tuple[dict[str, RolePolicy], dict[str, RoleSchema]]] = {}


def policy_fingerprint(enforcer: casbin.Enforcer | casbin.AsyncEnforcer) -> tuple[Any, ...]:
    return (
        *tuple(
            tuple(tuple(rule) for rule in enforcer.get_named_policy(ptype)) for ptype in ("p", "p2")
        ),
        tuple(tuple(rule) for rule in enforcer.get_named_grouping_policy("g")),
    )


def build_role_schemas_cached(
    enforcer: casbin.Enforcer | casbin.AsyncEnforcer,
) -> tuple[dict[str, RolePolicy], dict[str, RoleSchema]]:
    """Build once per distinct policy per process (tests start many apps)."""
    key = policy_fingerprint(enforcer)
    if key not in _built:
        _built[key] = build_role_schemas(enforcer)
    return _built[key]
