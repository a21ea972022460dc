"""RolePolicy answers every question a role's schema asks exactly as Casbin does.

RolePolicy evaluates rbac_model.conf's matcher and effect itself (Casbin's
expression evaluator took ~3 ms per question at start-up); this compares the
two on every field of every type, in full and masked, and every mutation in
every position, for every role, on the shipped policy and on one with denies
and wildcards added.
"""

from __future__ import annotations

import casbin
import pytest

from propgraph.authz.permissions import CALL, MASK, READ, SCHEMA_ROLES, field_object, subject
from propgraph.authz.policy import MODEL_PATH, RolePolicy, default_enforcer
from propgraph.schema.build import MUTATION, NODE_TYPES, Query, Subscription


def _questions() -> list[tuple[str, str]]:
    objects = []
    for type_ in (Query, Subscription, *NODE_TYPES):
        definition = type_.__strawberry_definition__
        for f in definition.fields:
            objects.append(field_object(definition.name, f.graphql_name or _camel(f.name)))
    mutations = [f"Mutation.{_camel(f.name)}" for f in MUTATION.__strawberry_definition__.fields]
    return (
        [(o, READ) for o in objects] + [(o, MASK) for o in objects] + [(m, CALL) for m in mutations]
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _edited() -> casbin.Enforcer:
    enforcer = default_enforcer()
    enforcer.add_named_policies(
        "p",
        [
            ["DISTRICT", "Project.*", "read", "deny"],
            ["OWNER", "Unit.*", "mask", "allow"],
            ["STREET:CLERK", "Mutation.reviewSubsidyApplication", "call", "deny"],
            ["ENTERPRISE", "Owner.phone", "read", "allow"],
            ["CITY", "*", "read", "allow"],
        ],
    )
    return enforcer


@pytest.mark.parametrize("policy", ["shipped", "edited"])
def test_every_question_gets_casbins_answer(policy: str) -> None:
    enforcer = default_enforcer() if policy == "shipped" else _edited()
    reference = casbin.Enforcer(str(MODEL_PATH))
    reference.add_named_policies("p", enforcer.get_named_policy("p"))
    reference.add_named_grouping_policies("g", enforcer.get_named_grouping_policy("g"))
    questions = _questions()
    assert len(questions) > 300
    for role in SCHEMA_ROLES:
        ours = RolePolicy(role, enforcer)
        assert ours._direct  # the shipped model is the one evaluated directly
        for position in (None, "HEAD", "CLERK"):
            sub = subject(role, position)
            for obj, act in questions:
                assert ours._enforce(sub, obj, act) == bool(reference.enforce(sub, obj, act)), (
                    sub,
                    obj,
                    act,
                )


def test_another_model_is_left_to_casbin() -> None:
    enforcer = default_enforcer()
    policy = RolePolicy("CITY", enforcer)
    enforcer.get_model()["m"]["m"].value = "g(r_sub, p_sub) && r_obj == p_obj && r_act == p_act"
    assert not policy._direct
