"""The seed generator: exact tiny counts, a consistent graph, valid identifiers,
determinism, refusal of a non-empty database, and reset."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import JSON, Enum, Table, insert, select, text
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from propgraph.datasets import SCALES, DatabaseNotEmpty, SeedSummary, seed
from propgraph.datasets.generate import derive, hierarchy
from propgraph.datasets.identity import (
    IdNumberSpace,
    credit_check_char,
    id_check_char,
    is_valid_credit_code,
    is_valid_id_number,
)
from propgraph.datasets.shape import split_total
from propgraph.db import create_engine
from propgraph.migrate import DatabaseNotReady
from propgraph.models import Base, Role
from tests.support.databases import TestDatabases

TABLES = [
    "districts",
    "streets",
    "communities",
    "enterprises",
    "projects",
    "buildings",
    "units",
    "owners",
    "unit_owners",
    "delegations",
    "accounts",
]
MOBILE = re.compile(r"^1[3-9]\d{9}$")


async def seeded(url: str, scale: str = "tiny", **kwargs: Any) -> SeedSummary:
    engine = create_engine(url)
    try:
        return await seed(engine, scale, progress=kwargs.pop("progress", False), **kwargs)
    finally:
        await engine.dispose()


async def read(url: str, *tables: str) -> dict[str, list[Row[Any]]]:
    """Whole tables, ordered by primary key."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            out = {}
            for name in tables:
                table = Base.metadata.tables[name]
                result = await conn.execute(select(table).order_by(*table.primary_key.columns))
                out[name] = list(result.all())
            return out
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def tiny_url(databases: TestDatabases) -> AsyncIterator[str]:
    """One database seeded with `tiny` at the default seed; tests only read it."""
    url = await databases.empty()
    await seeded(url)
    yield url


@pytest.fixture(scope="module")
async def tiny(tiny_url: str) -> dict[str, list[Row[Any]]]:
    return await read(tiny_url, *TABLES)


# --- shape -------------------------------------------------------------------


async def test_tiny_counts_are_exact(empty_db_url: str) -> None:
    summary = await seeded(empty_db_url)
    expected = {
        "districts": 2,
        "streets": 4,
        "communities": 8,
        "projects": 24,
        "buildings": 48,
        "units": 192,
        "enterprises": 5,
    }
    assert {k: summary.counts[k] for k in expected} == expected
    assert summary.scale == "tiny" and summary.elapsed_seconds > 0
    # The summary reports what is really in the database.
    contents = await read(empty_db_url, *TABLES)
    assert {table: summary.counts[table] for table in TABLES} == {
        table: len(contents[table]) for table in TABLES
    }
    # and the drill-down rollups cover every hierarchy node: 2 + 4 + 8 + 24
    assert summary.counts["node_stats"] == 38


async def test_tiny_uses_real_districts_and_streets(tiny: dict[str, list[Row[Any]]]) -> None:
    assert [(d.code, d.name) for d in tiny["districts"]] == [
        ("440303", "罗湖区"),
        ("440304", "福田区"),
    ]
    assert [(s.code, s.name) for s in tiny["streets"]] == [
        ("440303001", "桂园街道办"),
        ("440303002", "黄贝街道办"),
        ("440304001", "南园街道办"),
        ("440304002", "园岭街道办"),
    ]
    assert all(c.name.endswith("社区工作站") for c in tiny["communities"])
    # Two buildings per project: 1栋 and 2栋, or A座 and B座.
    assert {b.name for b in tiny["buildings"]} <= {"1栋", "2栋", "A座", "B座"}


async def test_every_row_carries_its_parents_ancestors(tiny: dict[str, list[Row[Any]]]) -> None:
    streets = {s.id: s for s in tiny["streets"]}
    communities = {c.id: c for c in tiny["communities"]}
    projects = {p.id: p for p in tiny["projects"]}
    buildings = {b.id: b for b in tiny["buildings"]}
    units = {u.id: u for u in tiny["units"]}
    districts = {d.id: d for d in tiny["districts"]}

    for s in streets.values():
        assert s.code.startswith(districts[s.district_id].code)
    for c in communities.values():
        parent = streets[c.street_id]
        assert c.district_id == parent.district_id
        assert c.code.startswith(parent.code)
    for p in projects.values():
        parent = communities[p.community_id]
        assert (p.street_id, p.district_id) == (parent.street_id, parent.district_id)
    for b in buildings.values():
        parent = projects[b.project_id]
        assert (b.community_id, b.street_id, b.district_id) == (
            parent.community_id,
            parent.street_id,
            parent.district_id,
        )
    for u in units.values():
        parent = buildings[u.building_id]
        assert (u.project_id, u.community_id, u.street_id, u.district_id) == (
            parent.project_id,
            parent.community_id,
            parent.street_id,
            parent.district_id,
        )
    for link in tiny["unit_owners"]:
        unit = units[link.unit_id]
        assert (link.project_id, link.community_id, link.street_id, link.district_id) == (
            unit.project_id,
            unit.community_id,
            unit.street_id,
            unit.district_id,
        )
    # Every level has exactly the fan-out of the scale.
    assert Counter(u.building_id for u in units.values()) == {b: 4 for b in buildings}
    assert Counter(b.project_id for b in buildings.values()) == {p: 2 for p in projects}
    assert Counter(p.community_id for p in projects.values()) == {c: 3 for c in communities}


async def test_codes_are_unique(tiny: dict[str, list[Row[Any]]]) -> None:
    levels = ("districts", "streets", "communities", "projects")
    codes = [row.code for level in levels for row in tiny[level]]
    assert len(codes) == len(set(codes))
    for c in tiny["communities"]:
        others = [x.name for x in tiny["communities"] if x.street_id == c.street_id]
        assert others.count(c.name) == 1


async def test_projects_are_plausible(tiny: dict[str, list[Row[Any]]]) -> None:
    enterprise_ids = {e.id for e in tiny["enterprises"]}
    area_by_project: dict[int, Decimal] = defaultdict(Decimal)
    for u in tiny["units"]:
        assert Decimal("45.00") <= u.floor_area <= Decimal("180.00")
        assert u.floor_area == u.floor_area.quantize(Decimal("0.01"))
        assert re.fullmatch(r"([0-9]+|[A-Z])-\d{4}", u.number)
        area_by_project[u.project_id] += u.floor_area
    for p in tiny["projects"]:
        assert p.enterprise_id in enterprise_ids
        assert re.fullmatch(r"0755-\d{8}", p.service_phone)
        assert p.address.startswith("深圳市")
        # Common areas add 10-40% to the units' own floor area.
        ratio = p.total_area / area_by_project[p.id]
        assert Decimal("1.09") < ratio < Decimal("1.41")
    # Every tiny enterprise manages something.
    assert {p.enterprise_id for p in tiny["projects"]} == enterprise_ids


# --- owners and delegations -----------------------------------------------------


async def test_units_and_owners_are_many_to_many(tiny: dict[str, list[Row[Any]]]) -> None:
    owners_per_unit = Counter(link.unit_id for link in tiny["unit_owners"])
    units_per_owner = Counter(link.owner_id for link in tiny["unit_owners"])
    assert set(owners_per_unit) == {u.id for u in tiny["units"]}  # every unit has an owner
    assert set(units_per_owner) == {o.id for o in tiny["owners"]}  # every owner owns something
    assert max(owners_per_unit.values()) <= 3 and max(units_per_owner.values()) <= 3
    assert any(n >= 2 for n in owners_per_unit.values())
    assert any(n >= 2 for n in units_per_owner.values())
    projects_per_owner = defaultdict(set)
    for link in tiny["unit_owners"]:
        projects_per_owner[link.owner_id].add(link.project_id)
    # Both kinds: an owner with two units in one project, and one across projects.
    assert any(len(projects_per_owner[o]) >= 2 for o in units_per_owner)
    assert any(n >= 2 and len(projects_per_owner[o]) < n for o, n in units_per_owner.items())


async def test_owner_identifiers_are_valid(tiny: dict[str, list[Row[Any]]]) -> None:
    numbers = [o.id_number for o in tiny["owners"]]
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert len(number) == 18 and is_valid_id_number(number), number
        assert number.startswith("4403")
        assert 1900 < int(number[6:10]) < 2010
    for owner in tiny["owners"]:
        assert MOBILE.match(owner.phone)
        assert 2 <= len(owner.name) <= 4
    assert {o.verification for o in tiny["owners"]} == {"FACE", "OFFLINE", "UNVERIFIED"}


async def test_exactly_one_active_delegation(tiny: dict[str, list[Row[Any]]]) -> None:
    today = date.today()
    active = [
        d for d in tiny["delegations"] if d.revoked_at is None and d.starts_on <= today <= d.ends_on
    ]
    assert len(active) == 1
    (delegation,) = active
    owned = {(link.owner_id, link.project_id) for link in tiny["unit_owners"]}
    assert (delegation.owner_id, delegation.project_id) in owned
    assert MOBILE.match(delegation.delegate_phone)


# --- accounts ---------------------------------------------------------------------


async def test_accounts_cover_every_role_and_scope(tiny: dict[str, list[Row[Any]]]) -> None:
    accounts = {a.username: a for a in tiny["accounts"]}
    assert {a.role for a in accounts.values()} == {role.value for role in Role}
    for role in ("CITY", "DISTRICT", "STREET", "COMMUNITY"):
        assert {a.position for a in accounts.values() if a.role == role} == {"HEAD", "CLERK"}
    assert accounts["city_head"].position == "HEAD" and accounts["city_clerk"].position == "CLERK"
    for level, table, column in (
        ("district", "districts", "district_id"),
        ("street", "streets", "street_id"),
        ("community", "communities", "community_id"),
    ):
        for node in tiny[table]:
            for position in ("head", "clerk"):
                account = accounts[f"{level}_{node.code}_{position}"]
                assert getattr(account, column) == node.id
                assert account.position == position.upper()
    for enterprise in tiny["enterprises"]:
        assert accounts[f"enterprise_{enterprise.id}"].enterprise_id == enterprise.id
    for project in tiny["projects"]:
        manager = accounts[f"manager_{project.code}"]
        assert manager.project_id == project.id and MOBILE.match(manager.phone)
    for delegation in tiny["delegations"]:
        delegate = accounts[f"delegate_{delegation.id}"]
        assert delegate.delegation_id == delegation.id
        assert delegate.name == delegation.delegate_name
        assert delegate.phone == delegation.delegate_phone

    assert accounts["disabled_clerk"].disabled
    assert [a.username for a in accounts.values() if a.disabled] == ["disabled_clerk"]
    assert all(a.name for a in accounts.values())


async def test_owner_accounts_include_the_interesting_owners(
    tiny: dict[str, list[Row[Any]]],
) -> None:
    owners = {o.id: o for o in tiny["owners"]}
    holders = {a.owner_id: a for a in tiny["accounts"] if a.role == "OWNER"}
    assert len(holders) == 6
    for owner_id, account in holders.items():
        assert account.username == f"owner_{owner_id}"
        assert (account.name, account.phone) == (owners[owner_id].name, owners[owner_id].phone)
    units_per_owner = Counter(link.owner_id for link in tiny["unit_owners"])
    owners_per_unit = Counter(link.unit_id for link in tiny["unit_owners"])
    co_owners = {link.owner_id for link in tiny["unit_owners"] if owners_per_unit[link.unit_id] > 1}
    assert any(units_per_owner[o] >= 2 for o in holders)
    assert holders.keys() & co_owners
    today = date.today()
    (active,) = [
        d for d in tiny["delegations"] if d.revoked_at is None and d.starts_on <= today <= d.ends_on
    ]
    assert active.owner_id in holders


async def test_enterprise_identifiers_are_valid(tiny: dict[str, list[Row[Any]]]) -> None:
    codes = [e.credit_code for e in tiny["enterprises"]]
    assert len(codes) == len(set(codes))
    for enterprise in tiny["enterprises"]:
        assert is_valid_credit_code(enterprise.credit_code), enterprise.credit_code
        assert "物业" in enterprise.name
        assert enterprise.bank_name and re.fullmatch(r"[1-9]\d{15,18}", enterprise.bank_account)
    assert len({e.name for e in tiny["enterprises"]}) == len(codes)


# --- determinism, refusal, reset -----------------------------------------------------


async def test_same_seed_gives_identical_tables(
    tiny_url: str,
    tiny: dict[str, list[Row[Any]]],
    empty_db_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Progress bars on, to show they change nothing (and go to stderr).
    await seeded(empty_db_url, progress=True)
    assert "units" in capsys.readouterr().err
    again = await read(empty_db_url, *TABLES)
    for table in TABLES:
        assert again[table] == tiny[table], table


async def test_another_seed_gives_other_names(
    tiny: dict[str, list[Row[Any]]], empty_db_url: str
) -> None:
    await seeded(empty_db_url, random_seed=7)
    other = await read(empty_db_url, *TABLES)
    for table in set(TABLES) - {"owners", "unit_owners"}:  # those two vary with the seed
        assert len(other[table]) == len(tiny[table]), table
    for table in ("owners", "projects", "communities", "enterprises"):
        assert [r.name for r in other[table]] != [r.name for r in tiny[table]], table
    assert [o.id_number for o in other["owners"]] != [o.id_number for o in tiny["owners"]]


async def test_refuses_a_database_with_data(tiny_url: str, tiny: dict[str, list[Row[Any]]]) -> None:
    with pytest.raises(DatabaseNotEmpty, match="--reset"):
        await seeded(tiny_url, random_seed=99)
    assert (await read(tiny_url, "owners"))["owners"] == tiny["owners"]


async def test_reset_replaces_the_data_and_keeps_the_policy(
    tiny: dict[str, list[Row[Any]]],
    empty_db_url: str,
) -> None:
    engine = create_engine(empty_db_url)
    casbin = Base.metadata.tables["casbin_rule"]
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(casbin).values(ptype="p", v0="CITY", v1="read"))
        policy = (await read(empty_db_url, "casbin_rule"))["casbin_rule"]
        await seed(engine, "tiny", random_seed=3, progress=False)
        # Rows in the other (workflow) tables, referencing the graph: reset
        # must delete them too, before what they reference.
        others = []
        async with engine.begin() as conn:
            for table in tables_referencing_the_graph():
                try:
                    async with conn.begin_nested():
                        await conn.execute(insert(table).values(placeholder_row(table)))
                except IntegrityError:  # a check constraint the placeholder misses
                    continue
                others.append(table)
        summary = await seed(engine, "tiny", reset=True, progress=False)
        assert summary.counts["units"] == 192
        assert (await read(empty_db_url, "casbin_rule"))["casbin_rule"] == policy
        leftovers = await read(empty_db_url, *(t.name for t in others))
        assert all(rows == [] for rows in leftovers.values())
        async with engine.begin() as conn:
            # Sequences follow the explicit ids: an insert without an id works.
            districts = Base.metadata.tables["districts"]
            result = await conn.execute(
                insert(districts).values(code="440399", name="测试区").returning(districts.c.id)
            )
            assert result.scalar() == 3
            await conn.rollback()
    finally:
        await engine.dispose()
    after = await read(empty_db_url, *TABLES)
    for table in TABLES:
        assert after[table] == tiny[table], table


def tables_referencing_the_graph() -> list[Table]:
    """Model tables the seed does not fill whose foreign keys all point at tables it does."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name not in TABLES
        and table.foreign_keys
        and all(fk.column.table.name in TABLES for fk in table.foreign_keys)
    ]


def placeholder_row(table: Table) -> dict[str, Any]:
    """Values for every column a row needs; foreign keys point at id 1 (seeded)."""
    samples: dict[type, Any] = {
        int: 1,
        str: "x",
        bool: False,
        Decimal: Decimal(1),
        float: 1.0,
        date: date(2020, 2, 20),
        datetime: datetime(2020, 2, 20, tzinfo=UTC),
    }
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.foreign_keys:
            row[column.name] = 1
        elif column.primary_key or column.nullable or column.default or column.server_default:
            continue
        elif isinstance(column.type, Enum):
            row[column.name] = column.type.enums[0]
        elif isinstance(column.type, JSON):
            row[column.name] = {}
        else:
            column_type = getattr(column.type, "impl_instance", column.type)
            row[column.name] = samples[column_type.python_type]
    return row


async def test_unmigrated_database_is_refused(databases: TestDatabases) -> None:
    url = await databases.empty(migrated=False)
    with pytest.raises(DatabaseNotReady, match="propgraph migrate"):
        await seeded(url)


async def test_unknown_scale_is_an_error(empty_db_url: str) -> None:
    with pytest.raises(ValueError, match="tiny, small, city"):
        await seeded(empty_db_url, "huge")


async def test_small_scale_is_quick_and_complete(empty_db_url: str) -> None:
    summary = await seeded(empty_db_url, "small")
    assert summary.counts["units"] == 20_400
    assert summary.counts["enterprises"] == 40
    # The demo seeds this on first run and must serve within a minute (its
    # time on a quiet machine, ~6 s, is in bench/README.md; a shared CI
    # machine took 20-25 s).
    assert summary.elapsed_seconds < 60
    accounts = (await read(empty_db_url, "accounts"))["accounts"]
    roles = Counter(a.role for a in accounts)
    assert set(roles) == {role.value for role in Role}
    assert roles["OWNER"] == 50 and roles["MANAGER"] == 120


# --- the pieces -----------------------------------------------------------------------


def test_id_number_check_character() -> None:
    # The worked example of GB 11643-1999.
    assert id_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("11010519491331002X")  # no 13th month


def test_id_number_space_never_repeats() -> None:
    space = IdNumberSpace(derive(1, "test"))
    sample = [space.number(i) for i in range(200_000)]
    assert len(set(sample)) == len(sample)
    assert all(is_valid_id_number(n) for n in sample[:5000])
    assert space.number(len(space) - 1) not in sample


def test_credit_code_check_character() -> None:
    # Published codes of real companies.
    for code in ("91350100M000100Y43", "91440300708461136T"):
        assert credit_check_char(code[:17]) == code[17]
        assert is_valid_credit_code(code)
    assert not is_valid_credit_code("91350100M000100Y44")
    assert not is_valid_credit_code("91350100M000100Y4")


def test_split_total_is_exact_and_seeded() -> None:
    parts = split_total(8_000, 680, derive(1, "t"), 0.7)
    assert sum(parts) == 8_000 and min(parts) >= 1 and len(parts) == 680
    assert parts == split_total(8_000, 680, derive(1, "t"), 0.7)
    assert parts != split_total(8_000, 680, derive(2, "t"), 0.7)


def test_city_hierarchy_matches_the_spec() -> None:
    # Only the in-memory part (to buildings); loading the city is a benchmark.
    city = hierarchy(SCALES["city"], 20200220)
    counts = [
        len(city.districts),
        len(city.streets),
        len(city.communities),
        len(city.projects),
        len(city.buildings),
        city.unit_count,
        len(city.enterprises),
    ]
    assert counts == [10, 74, 680, 8_000, 80_000, 3_000_000, 12_000]
    assert [d[2] for d in city.districts] == [
        "罗湖区",
        "福田区",
        "南山区",
        "盐田区",
        "宝安区",
        "龙岗区",
        "龙华区",
        "坪山区",
        "光明区",
        "大鹏新区",
    ]
    assert {s[2] for s in city.streets} >= {"华强北街道办", "沙头角街道办", "南澳街道办"}
    codes = [row[1] for level in (city.streets, city.communities, city.projects) for row in level]
    assert len(codes) == len(set(codes))


async def test_reset_clears_the_append_only_audit_trail_and_keeps_it_guarded(
    empty_db_url: str,
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import delete, func, insert, select

    from propgraph.datasets import seed
    from propgraph.db import create_engine
    from propgraph.models import AuditEntry

    engine = create_engine(empty_db_url)
    try:
        await seed(engine, "tiny", progress=False)
        async with engine.begin() as conn:
            await conn.execute(
                insert(AuditEntry).values(
                    subject_type="SubsidyApplication",
                    subject_id=1,
                    at=datetime.now(UTC),
                    actor_username="city_head",
                    actor_role="CITY",
                    action="x",
                    to_status="DRAFT",
                )
            )
        await seed(engine, "tiny", progress=False, reset=True)
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(AuditEntry)) == 0
        async with engine.begin() as conn:
            await conn.execute(
                insert(AuditEntry).values(
                    subject_type="SubsidyApplication",
                    subject_id=1,
                    at=datetime.now(UTC),
                    actor_username="city_head",
                    actor_role="CITY",
                    action="x",
                    to_status="DRAFT",
                )
            )
        with pytest.raises(Exception, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(delete(AuditEntry))
    finally:
        await engine.dispose()


@pytest.mark.skipif(
    not os.environ.get("PROPGRAPH_TEST_DATABASE_URL"), reason="statistics are PostgreSQL's"
)
async def test_the_seed_leaves_every_table_analyzed(empty_db_url: str) -> None:
    # the small tables written last (rollups, to-dos, workflow) included
    await seeded(empty_db_url)
    engine = create_engine(empty_db_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL")
            )
            never = sorted(row.relname for row in rows)
    finally:
        await engine.dispose()
    assert never == [], never
