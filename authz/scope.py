"""Scope rules compiled into SQL predicates, once per request.

Each rule named in the policy (``p2`` rows) is a class here. A compiled scope
answers, for every table of the graph, the WHERE predicate that keeps exactly
the rows the viewer may see (Hasura's "row filter"). Loaders and aggregates
AND it into their statements; nothing is filtered in Python after a fetch.

Invariant the loaders rely on: an owner is visible exactly when one of its
``unit_owners`` links is, and a visible link's unit is visible too; so the
link predicate alone scopes ``Unit.owners`` and ``Owner.units``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import QueryableAttribute

from propgraph.models import (
    Building,
    Community,
    Delegation,
    District,
    Enterprise,
    Evaluation,
    Evidence,
    FundAccount,
    Meeting,
    Owner,
    Project,
    RepairProject,
    RepairShare,
    RepairStage,
    RepairStatus,
    Street,
    SubsidyApplication,
    SubsidyBatch,
    SubsidyStatus,
    TenderFiling,
    Topic,
    Unit,
    UnitOwner,
    Vote,
    VoterNomination,
)

Predicate = ColumnElement[bool]


class Scope:
    """No rows at all; the base every rule narrows from (deny by default)."""

    rule: ClassVar[str] = "nothing"

    def districts(self) -> Predicate:
        return false()

    def streets(self) -> Predicate:
        return false()

    def communities(self) -> Predicate:
        return false()

    def projects(self) -> Predicate:
        return false()

    def buildings(self) -> Predicate:
        return false()

    def units(self) -> Predicate:
        return false()

    def unit_owners(self) -> Predicate:
        return false()

    def owners(self) -> Predicate:
        return Owner.id.in_(select(UnitOwner.owner_id).where(self.unit_owners()))

    def enterprises(self) -> Predicate:
        return Enterprise.id.in_(
            select(Project.enterprise_id).where(self.projects(), Project.enterprise_id.is_not(None))
        )

    def fund_accounts(self) -> Predicate:
        """Unit fund balances: exactly the visible units' (narrowed per rule)."""
        return false()

    # --- workflow records: visible to the roles taking part, in their scope ---

    def repair_projects(self) -> Predicate:
        return false()

    def repair_shares(self) -> Predicate:
        """A share shows with its repair project, and only for a unit the viewer sees."""
        return RepairShare.repair_project_id.in_(
            select(RepairProject.id).where(self.repair_projects())
        ) & RepairShare.unit_id.in_(select(Unit.id).where(self.units()))

    def repair_stages(self) -> Predicate:
        return RepairStage.repair_project_id.in_(
            select(RepairProject.id).where(self.repair_projects())
        )

    def subsidy_rounds(self) -> Predicate:
        return false()

    def subsidy_applications(self) -> Predicate:
        return false()

    def subsidy_batches(self) -> Predicate:
        return false()

    def evidence(self) -> Predicate:
        """An application's evidence with the application; a meeting's documents
        with the meeting (whoever sees its project)."""
        return Evidence.application_id.in_(
            select(SubsidyApplication.id).where(self.subsidy_applications())
        ) | Evidence.meeting_id.in_(select(Meeting.id).where(self.meetings()))

    # --- owners (SPEC 3.2): delegations, nominations, meetings, votes ---

    def delegations(self) -> Predicate:
        return false()

    def voter_nominations(self) -> Predicate:
        return false()

    def meetings(self) -> Predicate:
        """Everyone who sees a project sees its meetings (not their totals)."""
        return Meeting.project_id.in_(select(Project.id).where(self.projects()))

    def topics(self) -> Predicate:
        return Topic.meeting_id.in_(select(Meeting.id).where(self.meetings()))

    def votes(self) -> Predicate:
        """Single votes are secret: only the voter's own (totals are counted apart)."""
        return false()

    def evaluations(self) -> Predicate:
        return false()

    def tender_filings(self) -> Predicate:
        return false()

    def evaluated_projects(self) -> Predicate:
        """The projects whose evaluations the viewer sees, evaluated or not: the ones
        ``evaluationFigures`` counts (a half never scored still defaults to 100)."""
        return false()

    def for_table(self, table: str) -> Predicate:
        predicate: Predicate = getattr(self, table)()
        return predicate

    def sees_whole_subtree(self, level: str) -> bool:
        """Whether every row under any visible node of ``level`` is visible too.

        Then the node's figures are its whole subtree's, and may come from the
        ``node_stats`` rollups instead of a live count.
        """
        return False


def _repair_out_of_draft() -> Predicate:
    """Offices and owners see a repair project once it leaves the enterprise's draft."""
    return RepairProject.status != RepairStatus.DRAFT


def _filed() -> Predicate:
    """Offices see an application once it is submitted; a draft is the enterprise's."""
    return SubsidyApplication.status != SubsidyStatus.DRAFT


@dataclass(frozen=True)
class CityScope(Scope):
    rule: ClassVar[str] = "city"

    def districts(self) -> Predicate:
        return true()

    streets = communities = projects = buildings = units = unit_owners = districts
    owners = enterprises = subsidy_rounds = subsidy_batches = fund_accounts = districts
    delegations = voter_nominations = meetings = topics = districts
    evaluations = tender_filings = evaluated_projects = districts

    def subsidy_applications(self) -> Predicate:
        return _filed()

    def repair_projects(self) -> Predicate:
        return _repair_out_of_draft()

    def sees_whole_subtree(self, level: str) -> bool:
        return True


@dataclass(frozen=True)
class SubtreeScope(Scope):
    """An office: every hierarchy row under its node, the node included."""

    rule: ClassVar[str] = "subtree"
    level: str  # "district" | "street" | "community"
    node_id: int

    LEVELS: ClassVar[tuple[str, ...]] = ("district", "street", "community")

    def _at_or_below(self, level: str, model: type, ancestor: str) -> Predicate:
        mine, theirs = self.LEVELS.index(self.level), self.LEVELS.index(level)
        if theirs < mine:
            return false()
        column: QueryableAttribute[int] = getattr(model, "id" if theirs == mine else ancestor)
        return column == self.node_id

    def districts(self) -> Predicate:
        return self._at_or_below("district", District, "id")

    def streets(self) -> Predicate:
        return self._at_or_below("street", Street, f"{self.level}_id")

    def communities(self) -> Predicate:
        return self._at_or_below("community", Community, f"{self.level}_id")

    def _column(self, model: type) -> Predicate:
        column: QueryableAttribute[int] = getattr(model, f"{self.level}_id")
        return column == self.node_id

    def projects(self) -> Predicate:
        return self._column(Project)

    def buildings(self) -> Predicate:
        return self._column(Building)

    def units(self) -> Predicate:
        return self._column(Unit)

    def unit_owners(self) -> Predicate:
        return self._column(UnitOwner)

    def fund_accounts(self) -> Predicate:
        return self._column(FundAccount)

    def subsidy_rounds(self) -> Predicate:
        return true()

    def delegations(self) -> Predicate:
        return Delegation.project_id.in_(select(Project.id).where(self.projects()))

    def voter_nominations(self) -> Predicate:
        return self._column(VoterNomination)

    def meetings(self) -> Predicate:
        return self._column(Meeting)

    def subsidy_applications(self) -> Predicate:
        return self._column(SubsidyApplication) & _filed()

    def repair_projects(self) -> Predicate:
        return self._column(RepairProject) & _repair_out_of_draft()

    def subsidy_batches(self) -> Predicate:
        # Batches are the district's report to the city; streets and communities
        # see the applications, not the batches.
        return SubsidyBatch.district_id == self.node_id if self.level == "district" else false()

    def evaluations(self) -> Predicate:
        return self._column(Evaluation)

    def tender_filings(self) -> Predicate:
        return self._column(TenderFiling)

    def evaluated_projects(self) -> Predicate:
        return self._column(Project)

    def sees_whole_subtree(self, level: str) -> bool:
        return level == "project" or self.LEVELS.index(level) >= self.LEVELS.index(self.level)


@dataclass(frozen=True)
class EnterpriseScope(Scope):
    """An enterprise: the projects it manages, all the way down to owners."""

    rule: ClassVar[str] = "managed_projects"
    enterprise_id: int

    def _managed(self) -> Select[int]:
        return select(Project.id).where(Project.enterprise_id == self.enterprise_id)

    def projects(self) -> Predicate:
        return Project.enterprise_id == self.enterprise_id

    def buildings(self) -> Predicate:
        return Building.project_id.in_(self._managed())

    def units(self) -> Predicate:
        return Unit.project_id.in_(self._managed())

    def unit_owners(self) -> Predicate:
        return UnitOwner.project_id.in_(self._managed())

    def fund_accounts(self) -> Predicate:
        return FundAccount.project_id.in_(self._managed())

    def enterprises(self) -> Predicate:
        return Enterprise.id == self.enterprise_id

    def subsidy_rounds(self) -> Predicate:
        return true()

    def subsidy_applications(self) -> Predicate:
        return SubsidyApplication.enterprise_id == self.enterprise_id

    def tender_filings(self) -> Predicate:
        # Filed by the enterprise or its manager for one of its projects (evaluations
        # are the offices' work, not shown to the enterprise).
        return TenderFiling.enterprise_id == self.enterprise_id

    def repair_projects(self) -> Predicate:
        return RepairProject.project_id.in_(self._managed())

    def sees_whole_subtree(self, level: str) -> bool:
        return level == "project"


@dataclass(frozen=True)
class ProjectScope(Scope):
    """A project manager: exactly one project, and its enterprise."""

    rule: ClassVar[str] = "managed_project"
    project_id: int

    def projects(self) -> Predicate:
        return Project.id == self.project_id

    def buildings(self) -> Predicate:
        return Building.project_id == self.project_id

    def units(self) -> Predicate:
        return Unit.project_id == self.project_id

    def unit_owners(self) -> Predicate:
        return UnitOwner.project_id == self.project_id

    def fund_accounts(self) -> Predicate:
        return FundAccount.project_id == self.project_id

    def subsidy_rounds(self) -> Predicate:
        return true()

    def subsidy_applications(self) -> Predicate:
        return SubsidyApplication.project_id == self.project_id

    def tender_filings(self) -> Predicate:
        return TenderFiling.project_id == self.project_id

    def repair_projects(self) -> Predicate:
        return RepairProject.project_id == self.project_id

    def sees_whole_subtree(self, level: str) -> bool:
        return level == "project"


@dataclass(frozen=True)
class OwnerScope(Scope):
    """An owner: itself, its units, and (public parts of) the projects it owns in."""

    rule: ClassVar[str] = "own_units"
    owner_id: int

    def _owned(self, column: str) -> Select[int]:
        return select(getattr(UnitOwner, column)).where(UnitOwner.owner_id == self.owner_id)

    def projects(self) -> Predicate:
        return Project.id.in_(self._owned("project_id"))

    def buildings(self) -> Predicate:
        return Building.project_id.in_(self._owned("project_id"))

    def units(self) -> Predicate:
        return Unit.id.in_(self._owned("unit_id"))

    def unit_owners(self) -> Predicate:
        # Its own links and its co-owners' on the same units: owners of a
        # shared unit nominate one of themselves as its voter (SPEC 3.2).
        # Their personal data stays masked (schema/graph/types.py Owner).
        return UnitOwner.unit_id.in_(self._owned("unit_id"))

    def delegations(self) -> Predicate:
        return Delegation.owner_id == self.owner_id

    def voter_nominations(self) -> Predicate:
        return VoterNomination.unit_id.in_(self._owned("unit_id"))

    def votes(self) -> Predicate:
        return Vote.owner_id == self.owner_id

    def fund_accounts(self) -> Predicate:
        return FundAccount.unit_id.in_(self._owned("unit_id"))

    def repair_projects(self) -> Predicate:
        return RepairProject.project_id.in_(self._owned("project_id")) & _repair_out_of_draft()


@dataclass(frozen=True)
class DelegateScope(Scope):
    """A delegate: the delegated project, the delegating owner and its units there."""

    rule: ClassVar[str] = "delegated_project"
    owner_id: int
    project_id: int
    delegation_id: int | None = None

    def projects(self) -> Predicate:
        return Project.id == self.project_id

    def buildings(self) -> Predicate:
        return Building.project_id == self.project_id

    def units(self) -> Predicate:
        return Unit.id.in_(
            select(UnitOwner.unit_id).where(
                UnitOwner.owner_id == self.owner_id, UnitOwner.project_id == self.project_id
            )
        )

    def unit_owners(self) -> Predicate:
        return (UnitOwner.owner_id == self.owner_id) & (UnitOwner.project_id == self.project_id)

    def owners(self) -> Predicate:
        return Owner.id == self.owner_id

    def delegations(self) -> Predicate:
        return Delegation.id == self.delegation_id

    def votes(self) -> Predicate:
        return (Vote.owner_id == self.owner_id) & Vote.unit_id.in_(
            select(Unit.id).where(self.units())
        )


@dataclass(frozen=True)
class DirectoryScope(Scope):
    """Anonymous callers: the public project and enterprise directories only."""

    rule: ClassVar[str] = "directory"

    def projects(self) -> Predicate:
        return true()

    def enterprises(self) -> Predicate:
        return true()

    def meetings(self) -> Predicate:
        return false()


NOTHING = Scope()
