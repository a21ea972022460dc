"""The whole tiny database in memory, and who should see what.

This is the test oracle for SPEC section 2 and CONTRACT's visibility table,
written from the tables directly and independently of ``authz/scope.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from propgraph.db import create_engine
from propgraph.models import (
    Account,
    Building,
    Community,
    Delegation,
    District,
    Enterprise,
    Evaluation,
    FundAccount,
    Meeting,
    Notice,
    NoticeRecipient,
    Owner,
    Project,
    RepairProject,
    Street,
    TenderFiling,
    Topic,
    Unit,
    UnitOwner,
)
from propgraph.schema.relay import to_global_id

GRAPH_TYPES = (
    "District",
    "Street",
    "Community",
    "Project",
    "Building",
    "Unit",
    "Owner",
    "Enterprise",
    "Evaluation",
    "TenderFiling",
    "Notice",
)
# Accounts (SPEC 2): the ones in the viewer's scope (resolvers/accounts/kinds.py).
ACCOUNT_TYPES = ("Account",)
# The owners' nodes (SPEC 3.2): meetings and topics go with their project,
# delegations with the owner, its offices, and the delegate while in force.
OWNER_TYPES = ("Meeting", "Topic", "Delegation")
# Repair projects (SPEC 3.4): the project's enterprise and manager in any status; the
# offices of the subtree and the project's owners once out of draft.
REPAIR_TYPES = ("RepairProject",)
MODELS = {
    "District": District,
    "Street": Street,
    "Community": Community,
    "Project": Project,
    "Building": Building,
    "Unit": Unit,
    "Owner": Owner,
    "Enterprise": Enterprise,
    "Meeting": Meeting,
    "Topic": Topic,
    "Evaluation": Evaluation,
    "TenderFiling": TenderFiling,
    "Notice": Notice,
    "RepairProject": RepairProject,
}


@dataclass
class World:
    rows: dict[str, dict[int, Any]] = field(default_factory=dict)
    links: list[Any] = field(default_factory=list)  # unit_owners
    delegations: dict[int, Any] = field(default_factory=dict)
    accounts: list[Any] = field(default_factory=list)
    notice_recipients: list[Any] = field(default_factory=list)
    funds: dict[int, Any] = field(default_factory=dict)  # fund_accounts by unit id

    def all_ids(self) -> set[str]:
        """Global ids of every node of the graph (GRAPH_TYPES)."""
        return {to_global_id(t, pk) for t in GRAPH_TYPES for pk in self.rows[t]}

    def owner_ids(self) -> set[str]:
        """Global ids of every owners' node (OWNER_TYPES)."""
        ids = {to_global_id(t, pk) for t in ("Meeting", "Topic") for pk in self.rows[t]}
        return ids | {to_global_id("Delegation", pk) for pk in self.delegations}

    def repair_ids(self) -> set[str]:
        return {to_global_id("RepairProject", pk) for pk in self.rows["RepairProject"]}

    def account_ids(self) -> set[str]:
        return {to_global_id("Account", a.id) for a in self.accounts}

    def owners_of(self, unit_ids: set[int]) -> set[int]:
        return {link.owner_id for link in self.links if link.unit_id in unit_ids}

    def units_of_owner(self, owner_id: int) -> set[int]:
        return {link.unit_id for link in self.links if link.owner_id == owner_id}

    def where(self, type_name: str, **equals: Any) -> set[int]:
        return {
            pk
            for pk, row in self.rows[type_name].items()
            if all(getattr(row, k) == v for k, v in equals.items())
        }

    def visible(self, account: Any, today: date, types: tuple[str, ...] = GRAPH_TYPES) -> set[str]:
        """Global ids of the nodes of ``types`` the account may see (CONTRACT.md table);
        the owners' nodes too with ``types=(*GRAPH_TYPES, *OWNER_TYPES)``."""
        found: dict[str, set[int]] = defaultdict(set)
        role = account.role
        if role == "CITY":
            for type_name, rows in self.rows.items():
                found[type_name] = set(rows)
            found["Notice"] = self.where("Notice", publisher_role="CITY")
        elif role in ("DISTRICT", "STREET", "COMMUNITY"):
            level = role.lower()
            node = getattr(account, f"{level}_id")
            if level == "district":
                found["District"] = {node}
                found["Street"] = self.where("Street", district_id=node)
            if level == "street":
                found["Street"] = {node}
            if level == "community":
                found["Community"] = {node}
            else:
                found["Community"] = self.where("Community", **{f"{level}_id": node})
            for type_name in ("Project", "Building", "Unit"):
                found[type_name] = self.where(type_name, **{f"{level}_id": node})
            found["Owner"] = self.owners_of(found["Unit"])
            found["Enterprise"] = {self.rows["Project"][p].enterprise_id for p in found["Project"]}
            # office work: every evaluation and filing of a project in the subtree
            found["Evaluation"] = self.where("Evaluation", **{f"{level}_id": node})
            found["TenderFiling"] = self.where("TenderFiling", **{f"{level}_id": node})
            # notices: the ones its own office published
            found["Notice"] = self.where("Notice", publisher_role=role, **{f"{level}_id": node})
        elif role == "ENTERPRISE":
            found["Enterprise"] = {account.enterprise_id}
            found["Project"] = self.where("Project", enterprise_id=account.enterprise_id)
            found["Building"] = {
                b for p in found["Project"] for b in self.where("Building", project_id=p)
            }
            found["Unit"] = {
                u for b in found["Building"] for u in self.where("Unit", building_id=b)
            }
            found["Owner"] = self.owners_of(found["Unit"])
            # tender filings it (or its managers) filed; evaluations are the offices' work
            found["TenderFiling"] = self.where("TenderFiling", enterprise_id=account.enterprise_id)
        elif role == "MANAGER":
            project = self.rows["Project"][account.project_id]
            found["Project"] = {project.id}
            found["Building"] = self.where("Building", project_id=project.id)
            found["Unit"] = self.where("Unit", project_id=project.id)
            found["Owner"] = self.owners_of(found["Unit"])
            found["Enterprise"] = {project.enterprise_id}
            found["TenderFiling"] = self.where("TenderFiling", project_id=project.id)
            found["Notice"] = {
                r.notice_id for r in self.notice_recipients if r.account_id == account.id
            }
        elif role == "OWNER":
            found["Unit"] = self.units_of_owner(account.owner_id)
            # itself and its co-owners (it nominates the voter of a shared unit)
            found["Owner"] = {account.owner_id} | self.owners_of(found["Unit"])
            found["Project"] = {self.rows["Unit"][u].project_id for u in found["Unit"]}
            found["Building"] = {
                b for p in found["Project"] for b in self.where("Building", project_id=p)
            }
            found["Enterprise"] = {self.rows["Project"][p].enterprise_id for p in found["Project"]}
        elif role == "DELEGATE":
            delegation = self.delegations[account.delegation_id]
            active = (
                delegation.revoked_at is None
                and delegation.starts_on <= today <= delegation.ends_on
            )
            if active:
                project = self.rows["Project"][delegation.project_id]
                found["Project"] = {project.id}
                found["Building"] = self.where("Building", project_id=project.id)
                found["Enterprise"] = {project.enterprise_id}
                found["Owner"] = {delegation.owner_id}
                found["Unit"] = {
                    u
                    for u in self.units_of_owner(delegation.owner_id)
                    if self.rows["Unit"][u].project_id == project.id
                }
        self._owner_nodes(account, today, found)
        self._repair_nodes(account, found)
        found["Account"] = self._accounts(account, found)
        return {
            to_global_id(t, pk)
            for t, pks in found.items()
            if t in types
            for pk in pks
            if pk is not None
        }

    def _repair_nodes(self, account: Any, found: dict[str, set[int]]) -> None:
        role = account.role
        if role == "DELEGATE":
            return  # the owner's money is not the delegate's business
        projects = found.get("Project", set())
        if role == "OWNER":  # the projects of its own units, not its co-owners'
            projects = {self.rows["Unit"][u].project_id for u in found.get("Unit", set())}
        found["RepairProject"] = {
            pk
            for pk, r in self.rows["RepairProject"].items()
            if r.project_id in projects
            and (role in ("ENTERPRISE", "MANAGER") or r.status != "DRAFT")
        }

    def _accounts(self, account: Any, found: dict[str, set[int]]) -> set[int]:
        """CITY: all; an office: the offices at or below its node and the managers of
        its projects; an enterprise: its own and its projects' managers; others none."""
        role = account.role
        if role == "CITY":
            return {a.id for a in self.accounts}
        projects = found.get("Project", set())
        managers = {a.id for a in self.accounts if a.role == "MANAGER" and a.project_id in projects}
        if role == "ENTERPRISE":
            return managers | {
                a.id for a in self.accounts if a.enterprise_id == account.enterprise_id
            }
        if role not in ("DISTRICT", "STREET", "COMMUNITY"):
            return set()
        offices = {
            a.id
            for a in self.accounts
            if (a.role == "DISTRICT" and a.district_id in found.get("District", set()))
            or (a.role == "STREET" and a.street_id in found.get("Street", set()))
            or (a.role == "COMMUNITY" and a.community_id in found.get("Community", set()))
        }
        return offices | managers

    def _owner_nodes(self, account: Any, today: date, found: dict[str, set[int]]) -> None:
        projects = found.get("Project", set())
        if account.role == "CITY":
            found["Meeting"] = set(self.rows["Meeting"])
            found["Delegation"] = set(self.delegations)
        else:
            found["Meeting"] = {
                pk for pk, m in self.rows["Meeting"].items() if m.project_id in projects
            }
        found["Topic"] = {
            pk for pk, t in self.rows["Topic"].items() if t.meeting_id in found["Meeting"]
        }
        if account.role in ("DISTRICT", "STREET", "COMMUNITY"):
            found["Delegation"] = {
                pk for pk, d in self.delegations.items() if d.project_id in projects
            }
        elif account.role == "OWNER":
            found["Delegation"] = {
                pk for pk, d in self.delegations.items() if d.owner_id == account.owner_id
            }
        elif account.role == "DELEGATE" and projects:  # in force
            found["Delegation"] = {account.delegation_id}


async def load_world(url: str) -> World:
    engine = create_engine(url)
    world = World()
    try:
        async with engine.connect() as conn:
            for type_name, model in MODELS.items():
                rows = (await conn.execute(select(model))).all()
                world.rows[type_name] = {row.id: row for row in rows}
            world.links = list((await conn.execute(select(UnitOwner))).all())
            world.delegations = {
                row.id: row for row in (await conn.execute(select(Delegation))).all()
            }
            world.notice_recipients = list((await conn.execute(select(NoticeRecipient))).all())
            world.funds = {
                row.unit_id: row for row in (await conn.execute(select(FundAccount))).all()
            }
            world.accounts = list((await conn.execute(select(Account).order_by(Account.id))).all())
    finally:
        await engine.dispose()
    return world
