"""Who may take each step of the repair flow: the role × mutation matrix, every role."""

from __future__ import annotations

import pytest

from tests.support.app import RunningApp
from tests.support.world import World, load_world

APPLICANT = {
    "createRepairProject",
    "importRepairShares",
    "startRepairVote",
    "publishRepairProject",
    "submitRepairProject",
    "payRepairStage",
    "acceptRepairProject",
    "refundRepairProject",
    "cancelRepairProject",
}
EXPECTED = {
    "CITY": set(),
    "DISTRICT": {"reviewRepairProject"},
    "STREET": set(),
    "COMMUNITY": set(),
    "ENTERPRISE": APPLICANT,
    "MANAGER": APPLICANT,
    "OWNER": set(),
    "DELEGATE": set(),
}
ALL = APPLICANT | {"reviewRepairProject"}
MUTATIONS = "{ __schema { mutationType { fields { name } } } }"


@pytest.fixture(scope="module")
async def world(tiny_db_url: str) -> World:
    return await load_world(tiny_db_url)


@pytest.mark.parametrize("role", sorted(EXPECTED))
async def test_each_role_has_exactly_its_repair_mutations(
    tiny: RunningApp, world: World, role: str
) -> None:
    for account in [a for a in world.accounts if a.role == role and not a.disabled][:2]:
        body = await tiny.client(account.username).execute(MUTATIONS)
        mutation_type = (body.get("data") or {}).get("__schema", {}).get("mutationType")
        names = {f["name"] for f in (mutation_type or {}).get("fields", [])}
        assert names & ALL == EXPECTED[role], account.username


async def test_anonymous_callers_have_none(tiny: RunningApp) -> None:
    body = await tiny.client().execute(MUTATIONS)
    mutation_type = (body.get("data") or {}).get("__schema", {}).get("mutationType")
    names = {f["name"] for f in (mutation_type or {}).get("fields", [])}
    assert not names & ALL
