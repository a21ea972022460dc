"""Authorization: the Casbin policy, scope→SQL compilation, per-role schemas.

- ``rbac_model.conf`` / ``rbac_policy.csv``: the model and default policy.
- ``policy.py``: loads the policy from the database; one ``RolePolicy`` per role.
- ``scope.py``: compiles a role's scope rule into SQL predicates per table.
- ``viewer.py``: the frozen per-request object resolvers read.
- ``masking.py``: how personal data is masked.
- ``role_schema.py``: builds one Strawberry schema per role from one set of types.
- ``limits.py``: operation limits and suggestion-free validation.
"""
