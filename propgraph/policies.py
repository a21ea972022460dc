"""The policy a running process enforces, reloaded when the database's changes.

Each process builds its role schemas from the ``casbin_rule`` rows at start.
When the rows change (``addPolicyRule``/``removePolicyRule``, or SQL by
hand), it reads them again and rebuilds the schema of every role whose own
rows changed, keeping the others (their schemas, caches and compiled
viewers) as they are:

- PostgreSQL: a trigger on ``casbin_rule`` (migration 0013) sends NOTIFY
  ``propgraph_policy`` when the changing transaction commits; every
  process's listener (``live.PostgresListener``) calls ``changed``;
- the process that made the change through the API reloads before it
  answers, so its next request is enforced with the new policy, on SQLite
  (one process) and PostgreSQL alike.

Schemas are built in a worker thread (one at a time: ``reload`` holds a lock),
so requests go on being answered with the old ones while a new one is built.
A reload that cannot build a role's schema keeps the old one and logs it; the
mutations refuse such a change before writing it (workflows/policy_rules.py).
A role's WebSockets close (4401) when its policy object changes (gateway.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from propgraph.authz.permissions import SCHEMA_ROLES
from propgraph.authz.policy import RolePolicy, enforcer_from_rows, role_fingerprint
from propgraph.models import CasbinRule

if TYPE_CHECKING:
    from propgraph.gateway import GraphQLGateway
    from propgraph.services import Services

log = logging.getLogger("propgraph.policy")
KEPT_BUILDS = 32  # role schemas of earlier policies kept, so an edit undone is instant


class LivePolicy:
    def __init__(self, services: Services, gateway: GraphQLGateway) -> None:
        self.services = services
        self.gateway = gateway
        self._lock = asyncio.Lock()
        self._pending: asyncio.Task[None] | None = None
        self._dirty = False
        self._built: OrderedDict[tuple[object, ...], tuple[RolePolicy, Any]] = OrderedDict()
        self.reloads = 0  # how many reloads changed something (tests, logs)

    def changed(self, _payload: str = "") -> None:
        """An announcement: reload soon; a burst of them costs one or two reloads."""
        self._dirty = True
        if self._pending is None or self._pending.done():
            self._pending = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        while self._dirty:  # heard again while reloading: read once more
            self._dirty = False
            try:
                await self.reload()
            except Exception:  # the database is away: the next announcement retries
                log.warning("could not reload the policy", exc_info=True)

    async def reload(self) -> list[str]:
        """Read the rows, rebuild and install the roles that changed; returns them."""
        async with self._lock:
            async with self.services.engine.connect() as conn:
                rows = await conn.execute(
                    select(
                        CasbinRule.ptype, CasbinRule.v0, CasbinRule.v1, CasbinRule.v2, CasbinRule.v3
                    ).order_by(CasbinRule.id)
                )
                stored = [(r[0] or "", [v for v in r[1:] if v is not None]) for r in rows]
            enforcer = enforcer_from_rows(stored)
            policies = dict(self.services.policies)
            schemas = dict(self.services.schemas)
            changed = []
            for role in SCHEMA_ROLES:
                candidate = RolePolicy(role, enforcer)
                key = role_fingerprint(candidate)
                current = policies.get(role)
                if current is not None and role_fingerprint(current) == key:
                    continue
                try:
                    # Building a schema takes 0.1-0.4 s of Python: in a thread, so the
                    # loop keeps answering with the old schemas meanwhile.
                    built = await asyncio.to_thread(self._build, key, candidate)
                except Exception:
                    log.error("the policy for %s does not build; keeping the old one", role)
                    continue
                policies[role], schemas[role] = built
                changed.append(role)
            if changed:
                self.services.policies, self.services.schemas = policies, schemas
                self.gateway.install(schemas)
                self.gateway.viewers.changed("*")
                self.reloads += 1
                log.info("policy reloaded; rebuilt %s", ", ".join(changed))
            return changed

    def _build(self, key: tuple[object, ...], policy: RolePolicy) -> tuple[RolePolicy, Any]:
        from propgraph.schema.build import build_schema  # the whole schema: imported lazily

        if key not in self._built:
            self._built[key] = (policy, build_schema(policy))
            while len(self._built) > KEPT_BUILDS:
                self._built.popitem(last=False)
        self._built.move_to_end(key)
        return self._built[key]

    async def stop(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pending
