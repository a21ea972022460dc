"""The node types of the property graph.

Leaf fields are plain attributes filled from the row (synchronous, cheap);
relations are async fields that go through the request's loaders, so every
level of a nested query is one SQL statement however many parents it has.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from propgraph.authz.masking import mask_bank_account, mask_id_number, mask_phone
from propgraph.resolvers.graph.dataloaders import (
    BUILDINGS_BY_PROJECT,
    COMMUNITIES_BY_STREET,
    PROJECTS_BY_COMMUNITY,
    PROJECTS_BY_ENTERPRISE,
    STREETS_BY_DISTRICT,
    UNITS_BY_BUILDING,
    ChildPageByParentLoader,
    ChildPageKey,
    ChildRelation,
    NodeByIdLoader,
    OwnersByUnitLoader,
    StatsByNodeLoader,
    UnitsByOwnerLoader,
)
from propgraph.resolvers.graph.kinds import (
    BUILDING,
    COMMUNITY,
    DISTRICT,
    ENTERPRISE,
    PROJECT,
    STREET,
)
from propgraph.resolvers.graph.stats import StatsRow
from propgraph.resolvers.paging import Page
from propgraph.schema.context import Info
from propgraph.schema.graph.enums import OwnerVerification, ProjectKind
from propgraph.schema.graph.inputs import ProjectFilter
from propgraph.schema.relay import Connection, Node, page_args, to_global_id

if TYPE_CHECKING:
    from propgraph.schema.office.figures import EvaluationFigures, TenderFigures
    from propgraph.schema.office.types import YearScore
    from propgraph.schema.owners.stats import OwnerStats
    from propgraph.schema.owners.types import Delegation, Meeting, Nomination, ProjectRating
    from propgraph.schema.repair.figures import RepairFigures
    from propgraph.schema.subsidy.types import SubsidyFigures

# Defined in the subsidy area, which itself refers to Project: a lazy reference.
LazySubsidyFigures = Annotated["SubsidyFigures", strawberry.lazy("propgraph.schema.subsidy.types")]
_OWNERS = "propgraph.schema.owners.types"
LazyMeeting = Annotated["Meeting", strawberry.lazy(_OWNERS)]
LazyProjectRating = Annotated["ProjectRating", strawberry.lazy(_OWNERS)]
LazyNomination = Annotated["Nomination", strawberry.lazy(_OWNERS)]
LazyDelegation = Annotated["Delegation", strawberry.lazy(_OWNERS)]
LazyOwnerStats = Annotated["OwnerStats", strawberry.lazy("propgraph.schema.owners.stats")]
LazyRepairFigures = Annotated["RepairFigures", strawberry.lazy("propgraph.schema.repair.figures")]


async def _repair_figures(info: Info, level: str, pk: int) -> RepairFigures:
    from propgraph.schema.repair.figures import repair_figures

    return await repair_figures(info, level, pk)


async def _owner_stats(info: Info, level: str, pk: int) -> OwnerStats:
    from propgraph.schema.owners.stats import owner_stats_of

    return await owner_stats_of(info, level, pk)


LazyYearScore = Annotated["YearScore", strawberry.lazy("propgraph.schema.office.types")]
_OFFICE_FIGURES = "propgraph.schema.office.figures"
LazyEvaluationFigures = Annotated["EvaluationFigures", strawberry.lazy(_OFFICE_FIGURES)]
LazyTenderFigures = Annotated["TenderFigures", strawberry.lazy(_OFFICE_FIGURES)]


async def _evaluation_figures(info: Info, level: str, pk: int, year: int) -> EvaluationFigures:
    from propgraph.schema.office.figures import evaluation_figures_of

    return await evaluation_figures_of(info, level, pk, year)


async def _tender_figures(info: Info, level: str, pk: int) -> TenderFigures:
    from propgraph.schema.office.figures import tender_figures_of

    return await tender_figures_of(info, level, pk)


async def _subsidy_figures(
    info: Info, level: str, pk: int, round_id: strawberry.ID | None
) -> SubsidyFigures:
    from propgraph.schema.subsidy.figures import subsidy_figures

    return await subsidy_figures(info, level, pk, round_id)


async def _children(
    info: Info,
    relation: ChildRelation,
    parent_id: int,
    first: int | None,
    after: str | None,
    filter: ProjectFilter | None = None,
) -> Page[Any]:
    key = ChildPageKey(parent_id, page_args(first, after), filter.key() if filter else None)
    return await info.context.loaders.get(ChildPageByParentLoader, relation).load(key)


def _asks_for(info: Info, *path: str) -> bool:
    """Whether the query selects ``path`` below this field (fragments included)."""
    selections = info.selected_fields
    for name in path:
        found = [
            sub
            for selection in selections
            for sub in _flatten(getattr(selection, "selections", []))
            if getattr(sub, "name", None) == name
        ]
        if not found:
            return False
        selections = found
    return True


def _flatten(selections: list[Any]) -> list[Any]:
    flat = []
    for selection in selections:
        if hasattr(selection, "name"):
            flat.append(selection)
        else:  # an inline fragment or a fragment spread
            flat.extend(_flatten(selection.selections))
    return flat


async def _fund_balance(info: Info, level: str, pk: int) -> Decimal:
    from propgraph.resolvers.funds.balances import FundBalanceByNodeLoader

    return await info.context.loaders.get(FundBalanceByNodeLoader, level).load(pk)


async def _parent(info: Info, kind: Any, pk: int | None) -> Any:
    if pk is None:
        return None
    return await info.context.loaders.get(NodeByIdLoader, kind).load(pk)


@strawberry.type(description="Drill-down figures, counting only what the viewer may see.")
class Stats:
    projects: int = strawberry.field(description="Property projects.")
    buildings: int = strawberry.field(description="Buildings.")
    units: int = strawberry.field(description="Units (房屋).")
    floor_area: float = strawberry.field(description="Total floor area of the units, m².")
    owners: int = strawberry.field(description="Distinct owners of the units.")

    @classmethod
    def from_row(cls, row: StatsRow) -> Stats:
        return cls(
            projects=row.projects,
            buildings=row.buildings,
            units=row.units,
            floor_area=float(row.floor_area),
            owners=row.owners,
        )


@strawberry.type(description="Where a project lies, by name only.")
class Region:
    district_name: str = strawberry.field(description="区")
    street_name: str = strawberry.field(description="街道办")
    community_name: str = strawberry.field(description="社区工作站")


@strawberry.type(description="区: a district of the city.")
class District(Node):
    pk: strawberry.Private[int]
    code: str = strawberry.field(description="Administrative code, e.g. 440303.")
    name: str = strawberry.field(description="Name, e.g. 罗湖区.")

    @classmethod
    def from_row(cls, row: Any) -> District:
        return cls(id=to_global_id("District", row.id), pk=row.id, code=row.code, name=row.name)

    @strawberry.field(description="Figures of the district's subtree.")
    async def stats(self, info: Info) -> Stats:
        return Stats.from_row(
            await info.context.loaders.get(StatsByNodeLoader, "district").load(self.pk)
        )

    @strawberry.field(
        description="Owners' figures: verified-owner rate, meetings held, turnout, topics passed."
    )
    async def owner_stats(self, info: Info) -> LazyOwnerStats:
        return await _owner_stats(info, "district", self.pk)

    @strawberry.field(
        description="专项维修资金: the balances of the district's unit accounts that you may "
        "see, yuan."
    )
    async def fund_balance(self, info: Info) -> Decimal:
        return await _fund_balance(info, "district", self.pk)

    @strawberry.field(
        description="维修资金使用: the district's repair projects you may see, by status, "
        "with their budgets and what was paid."
    )
    async def repair_figures(self, info: Info) -> LazyRepairFigures:
        return await _repair_figures(info, "district", self.pk)

    @strawberry.field(description="Subsidy applications in this district, by status (offices).")
    async def subsidy_figures(
        self, info: Info, round_id: strawberry.ID | None = None
    ) -> LazySubsidyFigures:
        return await _subsidy_figures(info, "district", self.pk, round_id)

    @strawberry.field(
        description="半年考评: a year's evaluations of the district's projects, per half "
        "(scored, approved, defaulted to 100, mean score) and the mean annual score (offices)."
    )
    async def evaluation_figures(self, info: Info, year: int) -> LazyEvaluationFigures:
        return await _evaluation_figures(info, "district", self.pk, year)

    @strawberry.field(
        description="招标文件备案: the district's tender filings you may see, by status and by "
        "timeliness band."
    )
    async def tender_figures(self, info: Info) -> LazyTenderFigures:
        return await _tender_figures(info, "district", self.pk)

    @strawberry.field(description="The district's street offices.")
    async def streets(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Street]:
        page = await _children(info, STREETS_BY_DISTRICT, self.pk, first, after)
        return Connection.from_page(page, Street.from_row)


@strawberry.type(description="街道办: a street office.")
class Street(Node):
    pk: strawberry.Private[int]
    district_id: strawberry.Private[int]
    code: str = strawberry.field(description="Code, e.g. 440303001.")
    name: str = strawberry.field(description="Name, e.g. 桂园街道办.")

    @classmethod
    def from_row(cls, row: Any) -> Street:
        return cls(
            id=to_global_id("Street", row.id),
            pk=row.id,
            district_id=row.district_id,
            code=row.code,
            name=row.name,
        )

    @strawberry.field(description="The district the street belongs to.")
    async def district(self, info: Info) -> District:
        return District.from_row(await _parent(info, DISTRICT, self.district_id))

    @strawberry.field(description="Figures of the street's subtree.")
    async def stats(self, info: Info) -> Stats:
        return Stats.from_row(
            await info.context.loaders.get(StatsByNodeLoader, "street").load(self.pk)
        )

    @strawberry.field(
        description="Owners' figures: verified-owner rate, meetings held, turnout, topics passed."
    )
    async def owner_stats(self, info: Info) -> LazyOwnerStats:
        return await _owner_stats(info, "street", self.pk)

    @strawberry.field(
        description="专项维修资金: the balances of the street's unit accounts that you may "
        "see, yuan."
    )
    async def fund_balance(self, info: Info) -> Decimal:
        return await _fund_balance(info, "street", self.pk)

    @strawberry.field(
        description="维修资金使用: the street's repair projects you may see, by status, "
        "with their budgets and what was paid."
    )
    async def repair_figures(self, info: Info) -> LazyRepairFigures:
        return await _repair_figures(info, "street", self.pk)

    @strawberry.field(description="Subsidy applications in this street, by status (offices).")
    async def subsidy_figures(
        self, info: Info, round_id: strawberry.ID | None = None
    ) -> LazySubsidyFigures:
        return await _subsidy_figures(info, "street", self.pk, round_id)

    @strawberry.field(
        description="半年考评: a year's evaluations of the street's projects, per half "
        "(scored, approved, defaulted to 100, mean score) and the mean annual score (offices)."
    )
    async def evaluation_figures(self, info: Info, year: int) -> LazyEvaluationFigures:
        return await _evaluation_figures(info, "street", self.pk, year)

    @strawberry.field(
        description="招标文件备案: the street's tender filings you may see, by status and by "
        "timeliness band."
    )
    async def tender_figures(self, info: Info) -> LazyTenderFigures:
        return await _tender_figures(info, "street", self.pk)

    @strawberry.field(description="The street's community work stations.")
    async def communities(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Community]:
        page = await _children(info, COMMUNITIES_BY_STREET, self.pk, first, after)
        return Connection.from_page(page, Community.from_row)


@strawberry.type(description="社区工作站: a community work station.")
class Community(Node):
    pk: strawberry.Private[int]
    street_id: strawberry.Private[int]
    code: str = strawberry.field(description="Code.")
    name: str = strawberry.field(description="Name.")

    @classmethod
    def from_row(cls, row: Any) -> Community:
        return cls(
            id=to_global_id("Community", row.id),
            pk=row.id,
            street_id=row.street_id,
            code=row.code,
            name=row.name,
        )

    @strawberry.field(description="The street office the community belongs to.")
    async def street(self, info: Info) -> Street:
        return Street.from_row(await _parent(info, STREET, self.street_id))

    @strawberry.field(description="Figures of the community's subtree.")
    async def stats(self, info: Info) -> Stats:
        return Stats.from_row(
            await info.context.loaders.get(StatsByNodeLoader, "community").load(self.pk)
        )

    @strawberry.field(
        description="Owners' figures: verified-owner rate, meetings held, turnout, topics passed."
    )
    async def owner_stats(self, info: Info) -> LazyOwnerStats:
        return await _owner_stats(info, "community", self.pk)

    @strawberry.field(
        description="专项维修资金: the balances of the community's unit accounts that you may "
        "see, yuan."
    )
    async def fund_balance(self, info: Info) -> Decimal:
        return await _fund_balance(info, "community", self.pk)

    @strawberry.field(
        description="维修资金使用: the community's repair projects you may see, by status, "
        "with their budgets and what was paid."
    )
    async def repair_figures(self, info: Info) -> LazyRepairFigures:
        return await _repair_figures(info, "community", self.pk)

    @strawberry.field(description="Subsidy applications in this community, by status (offices).")
    async def subsidy_figures(
        self, info: Info, round_id: strawberry.ID | None = None
    ) -> LazySubsidyFigures:
        return await _subsidy_figures(info, "community", self.pk, round_id)

    @strawberry.field(
        description="半年考评: a year's evaluations of the community's projects, per half "
        "(scored, approved, defaulted to 100, mean score) and the mean annual score (offices)."
    )
    async def evaluation_figures(self, info: Info, year: int) -> LazyEvaluationFigures:
        return await _evaluation_figures(info, "community", self.pk, year)

    @strawberry.field(
        description="招标文件备案: the community's tender filings you may see, by status and by "
        "timeliness band."
    )
    async def tender_figures(self, info: Info) -> LazyTenderFigures:
        return await _tender_figures(info, "community", self.pk)

    @strawberry.field(description="Property projects in the community.")
    async def projects(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ProjectFilter | None = None,
    ) -> Connection[Project]:
        page = await _children(info, PROJECTS_BY_COMMUNITY, self.pk, first, after, filter)
        return Connection.from_page(page, Project.from_row)


@strawberry.type(description="物业项目: a property project (小区, 物业区域).")
class Project(Node):
    pk: strawberry.Private[int]
    community_id: strawberry.Private[int]
    enterprise_id: strawberry.Private[int | None]
    code: str = strawberry.field(description="Project code.")
    name: str = strawberry.field(description="Project name.")
    kind: ProjectKind = strawberry.field(description="住宅, 城中村, 公寓, ...")
    address: str | None = strawberry.field(description="Street address.")
    service_phone: str | None = strawberry.field(description="The service desk's phone.")
    total_area: float = strawberry.field(description="Recorded total building area, m².")
    region: Region = strawberry.field(description="District, street and community names.")

    @classmethod
    def from_row(cls, row: Any) -> Project:
        return cls(
            id=to_global_id("Project", row.id),
            pk=row.id,
            community_id=row.community_id,
            enterprise_id=row.enterprise_id,
            code=row.code,
            name=row.name,
            kind=row.kind,
            address=row.address,
            service_phone=row.service_phone,
            total_area=float(row.total_area),
            region=Region(
                district_name=row.district_name,
                street_name=row.street_name,
                community_name=row.community_name,
            ),
        )

    @strawberry.field(description="The community work station the project belongs to.")
    async def community(self, info: Info) -> Community:
        return Community.from_row(await _parent(info, COMMUNITY, self.community_id))

    @strawberry.field(description="The enterprise that manages the project.")
    async def enterprise(self, info: Info) -> Enterprise | None:
        row = await _parent(info, ENTERPRISE, self.enterprise_id)
        return Enterprise.from_row(row) if row else None

    @strawberry.field(description="Figures of the project.")
    async def stats(self, info: Info) -> Stats:
        return Stats.from_row(
            await info.context.loaders.get(StatsByNodeLoader, "project").load(self.pk)
        )

    @strawberry.field(
        description="Owners' figures: verified-owner rate, meetings held, turnout, topics passed."
    )
    async def owner_stats(self, info: Info) -> LazyOwnerStats:
        return await _owner_stats(info, "project", self.pk)

    @strawberry.field(description="The project's owners' meetings, latest first.")
    async def meetings(self, info: Info) -> list[LazyMeeting]:
        from propgraph.schema.owners.fields import project_meetings

        return await project_meetings(info, self.pk)

    @strawberry.field(description="This year's service rating by owners (public).")
    async def rating(self, info: Info) -> LazyProjectRating:
        from propgraph.schema.owners.fields import project_rating

        return await project_rating(info, self.pk)

    @strawberry.field(
        description="专项维修资金: the balances of the project's unit accounts that you may see "
        "(an owner: its own units), yuan."
    )
    async def fund_balance(self, info: Info) -> Decimal:
        return await _fund_balance(info, "project", self.pk)

    @strawberry.field(
        description="维修资金使用: the project's repair projects you may see, by status, "
        "with their budgets and what was paid."
    )
    async def repair_figures(self, info: Info) -> LazyRepairFigures:
        return await _repair_figures(info, "project", self.pk)

    @strawberry.field(description="The project's buildings.")
    async def buildings(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Building]:
        page = await _children(info, BUILDINGS_BY_PROJECT, self.pk, first, after)
        return Connection.from_page(page, Building.from_row)

    @strawberry.field(
        description="Half-year evaluation scores of a year: each half's final score (100 for "
        "a half not approved by the end of its window), and the annual mean."
    )
    async def evaluation_score(self, info: Info, year: int) -> LazyYearScore:
        from propgraph.schema.office.scores import year_score

        return await year_score(info, self.pk, year)


@strawberry.type(description="楼栋: a building of a project.")
class Building(Node):
    pk: strawberry.Private[int]
    project_id: strawberry.Private[int]
    name: str = strawberry.field(description="Name, e.g. 3栋.")

    @classmethod
    def from_row(cls, row: Any) -> Building:
        return cls(
            id=to_global_id("Building", row.id), pk=row.id, project_id=row.project_id, name=row.name
        )

    @strawberry.field(description="The project the building belongs to.")
    async def project(self, info: Info) -> Project:
        return Project.from_row(await _parent(info, PROJECT, self.project_id))

    @strawberry.field(
        description="专项维修资金: the balances of the building's unit accounts that you may see, "
        "yuan."
    )
    async def fund_balance(self, info: Info) -> Decimal:
        return await _fund_balance(info, "building", self.pk)

    @strawberry.field(description="The building's units.")
    async def units(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Unit]:
        page = await _children(info, UNITS_BY_BUILDING, self.pk, first, after)
        units = [Unit.from_row(row) for row in page.rows]
        if _asks_for(info, "edges", "node", "owners"):
            # Owners for the whole page at once: each unit's `owners` then
            # resolves synchronously, which at thousands of units per request
            # costs far less than one awaited loader call per unit (NOTES.md).
            loaded = await info.context.loaders.get(OwnersByUnitLoader).load_many(
                [u.pk for u in units]
            )
            for unit, rows in zip(units, loaded, strict=True):
                unit.prefetched_owners = [Owner.from_row(row) for row in rows]
        return Connection.of_nodes(page, units)


@strawberry.type(description="房屋: a unit of a building.")
class Unit(Node):
    pk: strawberry.Private[int]
    building_id: strawberry.Private[int]
    number: str = strawberry.field(description="Unit number, e.g. 1-0302.")
    floor_area: float = strawberry.field(description="Floor area, m².")
    prefetched_owners: strawberry.Private[list[Owner] | None] = None

    @classmethod
    def from_row(cls, row: Any) -> Unit:
        return cls(
            id=to_global_id("Unit", row.id),
            pk=row.id,
            building_id=row.building_id,
            number=row.number,
            floor_area=float(row.floor_area),
        )

    @strawberry.field(description="The building the unit is in.")
    async def building(self, info: Info) -> Building:
        return Building.from_row(await _parent(info, BUILDING, self.building_id))

    @strawberry.field(
        description="专项维修资金: the unit's fund balance (deposits − debits + refunds), yuan."
    )
    async def fund_balance(self, info: Info) -> Decimal:
        return await _fund_balance(info, "unit", self.pk)

    @strawberry.field(description="The unit's owners that the viewer may see.")
    def owners(self, info: Info) -> list[Owner]:
        # Sync when the page prefetched them; otherwise an awaitable, which
        # graphql-core awaits like any async resolver.
        if self.prefetched_owners is not None:
            return self.prefetched_owners
        return self._load_owners(info)  # type: ignore[return-value]

    async def _load_owners(self, info: Info) -> list[Owner]:
        rows = await info.context.loaders.get(OwnersByUnitLoader).load(self.pk)
        return [Owner.from_row(row) for row in rows]

    @strawberry.field(
        description="The unit's voter for the next meeting: its only owner, or the owner all "
        "its owners nominated; null while they disagree."
    )
    async def voter(self, info: Info) -> Owner | None:
        from propgraph.schema.owners.fields import unit_voter

        return await unit_voter(info, self.pk)

    @strawberry.field(description="Each owner's current nomination (the unit's owners, offices).")
    async def nominations(self, info: Info) -> list[LazyNomination]:
        from propgraph.schema.owners.fields import unit_nominations

        return await unit_nominations(info, self.pk)


@strawberry.type(description="业主: an owner of one or more units.")
class Owner(Node):
    pk: strawberry.Private[int]
    raw_phone: strawberry.Private[str | None]
    raw_id_number: strawberry.Private[str | None]
    name: str = strawberry.field(description="Name.")
    verification: OwnerVerification = strawberry.field(
        description="Real-name check: face, offline, or not yet."
    )

    @classmethod
    def from_row(cls, row: Any) -> Owner:
        return cls(
            id=to_global_id("Owner", row.id),
            pk=row.id,
            raw_phone=row.phone,
            raw_id_number=row.id_number,
            name=row.name,
            verification=row.verification,
        )

    def _masks(self, info: Info, field: str) -> bool:
        viewer = info.context.viewer
        if viewer.masks("Owner", field):
            return True
        # An owner sees its co-owners (to nominate a voter), their data masked.
        account = viewer.account
        return account is not None and account.role == "OWNER" and account.owner_id != self.pk

    @strawberry.field(
        description="Mobile number; masked unless it is yours or in your office's subtree."
    )
    def phone(self, info: Info) -> str | None:
        if self._masks(info, "phone"):
            return mask_phone(self.raw_phone)
        return self.raw_phone

    @strawberry.field(
        description="ID number; masked unless it is yours or in your office's subtree."
    )
    def id_number(self, info: Info) -> str | None:
        if self._masks(info, "idNumber"):
            return mask_id_number(self.raw_id_number)
        return self.raw_id_number

    @strawberry.field(description="The owner's units that the viewer may see.")
    async def units(self, info: Info) -> list[Unit]:
        rows = await info.context.loaders.get(UnitsByOwnerLoader).load(self.pk)
        return [Unit.from_row(row) for row in rows]

    @strawberry.field(description="The delegations the owner gave (the owner and its offices).")
    async def delegations(self, info: Info) -> list[LazyDelegation]:
        from propgraph.schema.owners.fields import owner_delegations

        return await owner_delegations(info, self.pk)


@strawberry.type(description="物业服务企业: a property-service enterprise.")
class Enterprise(Node):
    pk: strawberry.Private[int]
    raw_bank_account: strawberry.Private[str | None]
    name: str = strawberry.field(description="Registered name.")
    credit_code: str = strawberry.field(description="统一社会信用代码.")

    @classmethod
    def from_row(cls, row: Any) -> Enterprise:
        return cls(
            id=to_global_id("Enterprise", row.id),
            pk=row.id,
            raw_bank_account=row.bank_account,
            name=row.name,
            credit_code=row.credit_code,
        )

    @strawberry.field(description="The one account receiving subsidies; masked for others.")
    def bank_account(self, info: Info) -> str | None:
        if info.context.viewer.masks("Enterprise", "bankAccount"):
            return mask_bank_account(self.raw_bank_account)
        return self.raw_bank_account

    @strawberry.field(description="Projects the enterprise manages that the viewer may see.")
    async def projects(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Project]:
        page = await _children(info, PROJECTS_BY_ENTERPRISE, self.pk, first, after)
        return Connection.from_page(page, Project.from_row)
