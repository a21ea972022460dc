"""Row generation: the hierarchy, the owners, the accounts.

Rows are plain tuples in the column order of the ``*_COLUMNS`` constant of
their table, holding the values as the database stores them (scaled
decimals as integer hundredths, enums as their names), so that the loaders
can hand them to COPY or ``executemany`` without touching each value again.

Every random choice comes from a ``random.Random`` derived from the seed
and a purpose (:func:`derive`), never from the global generator or the
clock: one seed, one dataset. Ids are assigned explicitly, depth first
(district 1's streets come before district 2's, and so on down to units),
so a subtree's rows are contiguous.

The hierarchy down to buildings is small even for the city (80,000
buildings) and is built in memory; units, owners and their links (about
ten million rows for the city) are streamed in chunks by
:func:`occupancy`.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, cast

from propgraph.datasets import names
from propgraph.datasets.identity import (
    IdNumberSpace,
    bank_account,
    credit_code,
    landline,
    mobile,
)
from propgraph.datasets.shape import Scale
from propgraph.models.enums import OwnerVerification, Position, ProjectKind, Role

Row = tuple[Any, ...]

DISTRICT_COLUMNS = ("id", "code", "name")
STREET_COLUMNS = ("id", "code", "name", "district_id")
COMMUNITY_COLUMNS = ("id", "code", "name", "street_id", "district_id")
ENTERPRISE_COLUMNS = ("id", "name", "credit_code", "bank_name", "bank_account")
PROJECT_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "address",
    "service_phone",
    "total_area",
    "enterprise_id",
    "community_id",
    "street_id",
    "district_id",
)
BUILDING_COLUMNS = ("id", "name", "project_id", "community_id", "street_id", "district_id")
UNIT_COLUMNS = (
    "id",
    "number",
    "floor_area",
    "building_id",
    "project_id",
    "community_id",
    "street_id",
    "district_id",
)
OWNER_COLUMNS = ("id", "name", "id_number", "phone", "verification")
UNIT_OWNER_COLUMNS = (
    "unit_id",
    "owner_id",
    "project_id",
    "community_id",
    "street_id",
    "district_id",
)
DELEGATION_COLUMNS = (
    "id",
    "owner_id",
    "project_id",
    "delegate_name",
    "delegate_phone",
    "starts_on",
    "ends_on",
    "revoked_at",
)
# Each role fills exactly one of these (models/account.py SCOPE_COLUMN).
ACCOUNT_SCOPE_COLUMNS = (
    "district_id",
    "street_id",
    "community_id",
    "enterprise_id",
    "project_id",
    "owner_id",
    "delegation_id",
)
ACCOUNT_COLUMNS = (
    "id",
    "username",
    "name",
    "role",
    "position",
    "phone",
    "disabled",
    *ACCOUNT_SCOPE_COLUMNS,
    "created_at",
)

# Accounts carry a fixed creation time (the first subsidy round's day) rather
# than now(), so that two runs with one seed give identical rows.
ACCOUNTS_CREATED_AT = datetime(2020, 2, 20, 1, 0, tzinfo=UTC)  # 09:00 in Shenzhen

# How many owners a unit has, and how many units an owner takes: most one,
# some two, a few three. The two distributions are about the same, so there
# are about as many owners as units (SPEC: 3,000,000 units, ~3,000,000 owners).
OWNERS_PER_UNIT = ((0.85, 1), (0.97, 2), (1.0, 3))
UNITS_PER_OWNER = ((0.86, 1), (0.97, 2), (1.0, 3))
# Share of owner slots filled by someone who already owns a unit. In the long
# run it matches the spare capacity new owners bring (0.17 per owner), so the
# pool of owners waiting for another unit neither runs dry nor grows without bound.
REUSE_OWNER = 0.145
# A reused owner comes from the recent end of the pool (mostly the same
# project: people buy a second flat where they live) or from the old end (an
# investor owning across the city).
REUSE_RECENT = 0.6
VERIFICATION = (
    (0.55, OwnerVerification.FACE.value),
    (0.75, OwnerVerification.OFFLINE.value),
    (1.0, OwnerVerification.UNVERIFIED.value),
)

# Floor areas (m²) by kind of project; all within 45-180 m².
FLOOR_AREA_RANGE: dict[ProjectKind, tuple[int, int]] = {
    ProjectKind.RESIDENTIAL: (60, 145),
    ProjectKind.URBAN_VILLAGE: (45, 90),
    ProjectKind.APARTMENT: (45, 75),
    ProjectKind.OFFICE: (80, 180),
    ProjectKind.COMMERCIAL: (60, 180),
    ProjectKind.INDUSTRIAL: (100, 180),
    ProjectKind.OTHER: (45, 120),
}
UNITS_PER_FLOOR: dict[ProjectKind, tuple[int, ...]] = {
    ProjectKind.RESIDENTIAL: (2, 4, 4, 6, 6, 8),
    ProjectKind.URBAN_VILLAGE: (2, 3, 4),
    ProjectKind.APARTMENT: (6, 8, 10, 12),
    ProjectKind.OFFICE: (4, 6, 8),
    ProjectKind.COMMERCIAL: (4, 6, 8),
    ProjectKind.INDUSTRIAL: (2, 4),
    ProjectKind.OTHER: (2, 4, 6),
}
# Offices and malls name their towers A座, B座 ...; homes 1栋, 2栋 ...
LETTERED_KINDS = (ProjectKind.OFFICE, ProjectKind.COMMERCIAL)


def derive(seed: int, purpose: str) -> random.Random:
    """An independent generator for one purpose (string seeds hash with SHA-512,
    so this is stable across runs and Python processes)."""
    return random.Random(f"propgraph/{seed}/{purpose}")


def _pick(table: tuple[tuple[float, Any], ...], x: float) -> Any:
    for bound, value in table:
        if x < bound:
            return value
    return table[-1][1]


# --- the hierarchy ------------------------------------------------------------


@dataclass(slots=True)
class BuildingPlan:
    """A building and the layout its units are generated from."""

    id: int
    name: str
    label: str  # "3" for 3栋, "B" for B座; prefixes unit numbers
    project_id: int
    community_id: int
    street_id: int
    district_id: int
    units: int
    # Floor area (hundredths of m²) of each position on a floor: flats stack,
    # so unit 0302 has the area of unit 0202.
    layout: tuple[int, ...]

    def row(self) -> Row:
        return (
            self.id,
            self.name,
            self.project_id,
            self.community_id,
            self.street_id,
            self.district_id,
        )

    def floor_area_total(self) -> int:
        full, partial = divmod(self.units, len(self.layout))
        return full * sum(self.layout) + sum(self.layout[:partial])


@dataclass
class Hierarchy:
    districts: list[Row] = field(default_factory=list)
    streets: list[Row] = field(default_factory=list)
    communities: list[Row] = field(default_factory=list)
    enterprises: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    buildings: list[BuildingPlan] = field(default_factory=list)

    @property
    def unit_count(self) -> int:
        return sum(b.units for b in self.buildings)


def hierarchy(scale: Scale, seed: int) -> Hierarchy:
    """Districts to buildings, enterprises, and each building's unit layout."""
    h = Hierarchy()
    for d, district in enumerate(names.DISTRICTS[: scale.districts], start=1):
        h.districts.append((d, district.code, district.name))
        streets = district.streets[: scale.streets_per_district]
        for s, street in enumerate(streets, start=1):
            code = f"{district.code}{s:03d}"
            h.streets.append((len(h.streets) + 1, code, street + names.STREET_SUFFIX, d))

    rng = derive(seed, "communities")
    taken: set[str] = set()
    for (street_id, street_code, _, district_id), count in zip(
        h.streets,
        scale.communities.split(len(h.streets), derive(seed, "fanout/communities")),
        strict=True,
    ):
        for c in range(1, count + 1):
            code = f"{street_code}{c:03d}"
            name = names.community_name(rng, taken)
            h.communities.append((len(h.communities) + 1, code, name, street_id, district_id))

    h.enterprises = enterprises(scale.enterprises, seed)
    _projects_and_buildings(h, scale, seed)
    return h


def enterprises(count: int, seed: int) -> list[Row]:
    rng = derive(seed, "enterprises")
    banks = names.WeightedTable(names.BANKS)
    taken_names: set[str] = set()
    taken_codes: set[str] = set()
    rows: list[Row] = []
    for e in range(1, count + 1):
        code = credit_code(rng)
        while code in taken_codes:  # 31^8 bodies: a repeat is rare, retry is enough
            code = credit_code(rng)
        taken_codes.add(code)
        rows.append(
            (e, names.company_name(rng, taken_names), code, banks.pick(rng), bank_account(rng))
        )
    return rows


def _projects_and_buildings(h: Hierarchy, scale: Scale, seed: int) -> None:
    rng = derive(seed, "projects")
    layouts = derive(seed, "buildings")
    kinds = names.WeightedTable(tuple((k, w) for k, w in names.PROJECT_KIND_WEIGHTS))
    district_names = {row[0]: row[2] for row in h.districts}
    street_names = {row[0]: row[2] for row in h.streets}

    per_community = scale.projects.split(len(h.communities), derive(seed, "fanout/projects"))
    project_total = sum(per_community)
    per_project = scale.buildings.split(project_total, derive(seed, "fanout/buildings"))
    per_building = scale.units.split(sum(per_project), derive(seed, "fanout/units"))
    managers = _enterprise_for_projects(project_total, len(h.enterprises), seed)

    taken: set[str] = set()
    building_counts = iter(per_project)
    unit_counts = iter(per_building)
    for (community_id, community_code, _, street_id, district_id), count in zip(
        h.communities, per_community, strict=True
    ):
        for p in range(1, count + 1):
            project_id = len(h.projects) + 1
            kind: ProjectKind = kinds.pick(rng)  # type: ignore[assignment]
            name = names.project_name(rng, kind, taken)
            first_building = len(h.buildings)
            for b in range(1, next(building_counts) + 1):
                h.buildings.append(
                    _building(
                        layouts,
                        kind,
                        b,
                        len(h.buildings) + 1,
                        next(unit_counts),
                        (project_id, community_id, street_id, district_id),
                    )
                )
            units_area = sum(b.floor_area_total() for b in h.buildings[first_building:])
            # Recorded (building) area includes corridors, lobbies and shared
            # rooms on top of the units' own floor area.
            total_area = round(units_area * rng.uniform(1.1, 1.4))
            h.projects.append(
                (
                    project_id,
                    f"P{community_code}{p:03d}",
                    name,
                    kind.value,
                    names.address(rng, district_names[district_id], street_names[street_id]),
                    landline(rng),
                    total_area,
                    managers[project_id - 1],
                    community_id,
                    street_id,
                    district_id,
                )
            )


def _building(
    rng: random.Random,
    kind: ProjectKind,
    number: int,
    building_id: int,
    units: int,
    ancestors: tuple[int, int, int, int],
) -> BuildingPlan:
    if kind in LETTERED_KINDS and number <= 26:
        label = chr(ord("A") + number - 1)
        name = f"{label}座"
    else:
        label = str(number)
        name = f"{number}栋"
    low, high = FLOOR_AREA_RANGE[kind]
    per_floor = rng.choice(UNITS_PER_FLOOR[kind])
    layout = tuple(rng.randint(low * 100, high * 100) for _ in range(per_floor))
    return BuildingPlan(building_id, name, label, *ancestors, units=units, layout=layout)


def _enterprise_for_projects(projects: int, enterprises: int, seed: int) -> list[int]:
    """The managing enterprise of each project (by project id - 1).

    A few big groups manage many estates and most firms one or none, as in
    the real market: a share of the projects go one each to the first
    enterprises (so every enterprise of the small scales has work, and the
    city has thousands with one project), the rest by a Zipf-like weight.
    """
    rng = derive(seed, "management")
    order = list(range(projects))
    rng.shuffle(order)
    result = [0] * projects
    guaranteed = min(enterprises, projects // 2)
    for enterprise, project in enumerate(order[:guaranteed], start=1):
        result[project] = enterprise
    weights = names.WeightedTable(tuple((e, 1 / e**0.9) for e in range(1, enterprises + 1)))
    for project in order[guaranteed:]:
        result[project] = cast(int, weights.pick(rng))
    return result


# --- units, owners and their links --------------------------------------------


@dataclass(frozen=True)
class OwnerFacts:
    """What accounts and delegations need to know about a watched owner."""

    id: int
    name: str
    phone: str
    verification: str
    project_id: int  # the project of the owner's first unit


@dataclass
class Occupancy:
    """Totals and facts gathered while units and owners stream past."""

    watch: frozenset[int]
    units: int = 0
    owners: int = 0
    links: int = 0
    watched: dict[int, OwnerFacts] = field(default_factory=dict)


@dataclass
class OccupancyChunk:
    units: list[Row]
    owners: list[Row]
    unit_owners: list[Row]


# Owners 1-3 are placed on purpose so every scale and seed has what the tests
# and demos rely on: owner 1 owns three units (two in the first project, one
# in the second), owners 2 and 3 share a unit, and owner 1 shares a unit too.
MULTI_UNIT_OWNER = 1
CO_OWNER = 2
_SCRIPTED_VERIFICATION = {1: "FACE", 2: "FACE", 3: "OFFLINE"}


def watch_list(scale: Scale, units: int, seed: int) -> frozenset[int]:
    """Owner ids whose details are kept, for owner accounts and delegations.

    Every unit has an owner and nobody owns more than three, so at least
    units/3 owners exist: the sample is drawn below that bound, before the
    stream runs, and is certain to be generated.
    """
    guaranteed = units // 3
    wanted = min(guaranteed - 3, scale.owner_accounts + scale.delegation_count + 20)
    rng = derive(seed, "watch")
    return frozenset({1, 2, 3, *rng.sample(range(4, guaranteed + 1), max(0, wanted))})


def occupancy(
    h: Hierarchy, seed: int, chunk_units: int, state: Occupancy
) -> Iterator[OccupancyChunk]:
    """Units, their owners and the links, in chunks of about ``chunk_units`` units.

    Owners are numbered in order of first appearance, so each chunk's new
    owners follow the previous chunk's; a chunk's links reference its own
    units and owners of this or earlier chunks. Load each chunk's units and
    owners before its links.
    """
    rng = derive(seed, "occupancy")
    r = rng.random
    people = derive(seed, "owners")
    person_name = names.PersonNames(people)
    people_random = people.random
    id_numbers = IdNumberSpace(derive(seed, "id-numbers"))
    watch = state.watch

    units: list[Row] = []
    owners: list[Row] = []
    links: list[Row] = []
    # (owner id, project id of their first unit), one entry per further unit
    # the owner is still to take.
    pool: deque[tuple[int, int]] = deque()
    unit_id = 0
    owner_id = 0

    def new_owner(project_id: int, spare: bool) -> int:
        nonlocal owner_id
        owner_id += 1
        verification = _SCRIPTED_VERIFICATION.get(owner_id) or _pick(VERIFICATION, people_random())
        id_number = id_numbers.number(owner_id - 1)
        row = (owner_id, person_name(), id_number, mobile(people), verification)
        owners.append(row)
        if owner_id in watch:
            state.watched[owner_id] = OwnerFacts(owner_id, row[1], row[3], verification, project_id)
        if spare:
            for _ in range(_pick(UNITS_PER_OWNER, r()) - 1):
                pool.append((owner_id, project_id))
        return owner_id

    # Where the second project starts (scripted owner 1 buys there too), if
    # there is a second project and the first has room for the scripted three.
    second_project_first_unit = sum(b.units for b in h.buildings if b.project_id == 1)
    if second_project_first_unit < 3 or len(h.projects) < 2:
        second_project_first_unit = -1

    for b in h.buildings:
        pid, cid, sid, did = b.project_id, b.community_id, b.street_id, b.district_id
        layout = b.layout
        per_floor = len(layout)
        prefix = b.label + "-"
        for position in range(b.units):
            unit_id += 1
            floor, slot = divmod(position, per_floor)
            units.append(
                (
                    unit_id,
                    f"{prefix}{floor + 1:02d}{slot + 1:02d}",
                    layout[slot],
                    b.id,
                    pid,
                    cid,
                    sid,
                    did,
                )
            )
            index = unit_id - 1
            if index < 3 or index == second_project_first_unit:
                members = _scripted_members(index, pid, new_owner)
            else:
                members = []
                for _ in range(_pick(OWNERS_PER_UNIT, r())):
                    member = 0
                    if pool and r() < REUSE_OWNER:
                        entry = pool.pop() if r() < REUSE_RECENT else pool.popleft()
                        if entry[0] in members:
                            pool.append(entry)
                        else:
                            member = entry[0]
                    members.append(member or new_owner(pid, True))
            for member in members:
                links.append((unit_id, member, pid, cid, sid, did))
        if len(units) >= chunk_units:
            yield _flush(state, units, owners, links)
            units, owners, links = [], [], []
    if units:
        yield _flush(state, units, owners, links)


def _scripted_members(
    index: int, project_id: int, new_owner: Callable[[int, bool], int]
) -> list[int]:
    if index == 0:
        return [new_owner(project_id, False)]  # owner 1
    if index == 1:
        return [new_owner(project_id, False), new_owner(project_id, False)]  # owners 2, 3
    if index == 2:
        return [MULTI_UNIT_OWNER]  # owner 1's second unit
    # The second project's first unit: owner 1's third unit, shared with a new owner.
    return [MULTI_UNIT_OWNER, new_owner(project_id, True)]


def _flush(
    state: Occupancy, units: list[Row], owners: list[Row], links: list[Row]
) -> OccupancyChunk:
    state.units += len(units)
    state.owners += len(owners)
    state.links += len(links)
    return OccupancyChunk(units, owners, links)


# --- delegations and accounts --------------------------------------------------

ACTIVE_PERIOD = (date(2020, 1, 1), date(2099, 12, 31))
REVOKED_PERIOD = (date(2021, 3, 1), date(2099, 12, 31))
REVOKED_AT = datetime(2022, 6, 15, 2, 30, tzinfo=UTC)
EXPIRED_PERIOD = (date(2020, 3, 1), date(2020, 12, 31))


def delegators(state: Occupancy, scale: Scale, seed: int) -> list[OwnerFacts]:
    """Owners who delegate: verified ones (only they may vote), not the scripted three."""
    rng = derive(seed, "delegators")
    candidates = [f for i, f in sorted(state.watched.items()) if i > 3]
    rng.shuffle(candidates)
    # Prefer verified owners; fall back to anyone if a tiny sample has too few.
    candidates.sort(key=lambda f: f.verification == OwnerVerification.UNVERIFIED.value)
    return candidates[: scale.delegation_count]


def delegations(chosen: list[OwnerFacts], scale: Scale, seed: int) -> list[Row]:
    rng = derive(seed, "delegations")
    person_name = names.PersonNames(rng)
    active, revoked, expired = scale.delegations
    periods = (
        [(ACTIVE_PERIOD, None)] * active
        + [(REVOKED_PERIOD, REVOKED_AT)] * revoked
        + [(EXPIRED_PERIOD, None)] * expired
    )
    return [
        (d, owner.id, owner.project_id, person_name(), mobile(rng), start, end, revoked_at)
        for d, (owner, ((start, end), revoked_at)) in enumerate(
            zip(chosen, periods, strict=True), start=1
        )
    ]


def accounts(
    h: Hierarchy,
    state: Occupancy,
    chosen: list[OwnerFacts],
    delegation_rows: list[Row],
    scale: Scale,
    seed: int,
) -> list[Row]:
    """Demo accounts for every role, with stable readable usernames (see CONTRACT.md)."""
    rng = derive(seed, "accounts")
    person_name = names.PersonNames(rng)
    rows: list[Row] = []

    def add(
        username: str,
        role: Role,
        position: Position | None,
        scope: dict[str, int],
        name: str | None = None,
        phone: str | None = None,
        disabled: bool = False,
    ) -> None:
        scope_values: dict[str, int | None] = dict.fromkeys(ACCOUNT_SCOPE_COLUMNS)
        scope_values.update(scope)
        rows.append(
            (
                len(rows) + 1,
                username,
                name or person_name(),
                role.value,
                position.value if position else None,
                phone or mobile(rng),
                disabled,
                *scope_values.values(),
                ACCOUNTS_CREATED_AT,
            )
        )

    def office(prefix: str, role: Role, scope: dict[str, int]) -> None:
        add(f"{prefix}_head", role, Position.HEAD, scope)
        add(f"{prefix}_clerk", role, Position.CLERK, scope)

    office("city", Role.CITY, {})
    for district_id, code, *_ in h.districts:
        office(f"district_{code}", Role.DISTRICT, {"district_id": district_id})
    for street_id, code, *_ in h.streets:
        office(f"street_{code}", Role.STREET, {"street_id": street_id})
    for community_id, code, *_ in h.communities:
        office(f"community_{code}", Role.COMMUNITY, {"community_id": community_id})
    # For tests of disabled accounts: a clerk of the first community, switched off.
    add("disabled_clerk", Role.COMMUNITY, Position.CLERK, {"community_id": 1}, disabled=True)
    for enterprise_id, *_ in h.enterprises:
        add(f"enterprise_{enterprise_id}", Role.ENTERPRISE, None, {"enterprise_id": enterprise_id})
    for project_id, code, *_ in h.projects:
        add(f"manager_{code}", Role.MANAGER, None, {"project_id": project_id})
    for owner in owner_account_holders(state, chosen, scale):
        add(
            f"owner_{owner.id}",
            Role.OWNER,
            None,
            {"owner_id": owner.id},
            name=owner.name,
            phone=owner.phone,
        )
    for delegation_id, _, _, delegate_name, delegate_phone, *_ in delegation_rows:
        add(
            f"delegate_{delegation_id}",
            Role.DELEGATE,
            None,
            {"delegation_id": delegation_id},
            name=delegate_name,
            phone=delegate_phone,
        )
    return rows


def owner_account_holders(
    state: Occupancy, chosen: list[OwnerFacts], scale: Scale
) -> list[OwnerFacts]:
    """Owner 1 (three units), owner 2 (shares a unit), the delegators, then the sample."""
    picked: dict[int, OwnerFacts] = {}
    for facts in [
        state.watched[MULTI_UNIT_OWNER],
        state.watched[CO_OWNER],
        *chosen,
        *(f for _, f in sorted(state.watched.items())),
    ]:
        if len(picked) == scale.owner_accounts:
            break
        picked.setdefault(facts.id, facts)
    return list(picked.values())
