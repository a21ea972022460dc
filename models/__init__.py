"""SQLAlchemy models: the property graph, accounts, and workflow records.

Every hierarchy row carries the ids of all its ancestors (``district_id``,
``street_id``, ``community_id``, ``project_id``, ``building_id`` as they
apply), each indexed, so "everything under node N" is one indexed equality
predicate on any table. Owners hang off units many-to-many; the link table
``unit_owners`` carries the ancestors too, so owners are scoped through it.
"""

from propgraph.models.account import Account
from propgraph.models.base import Base, Cents, ScaledDecimal
from propgraph.models.delegation import Delegation
from propgraph.models.enterprise import Enterprise
from propgraph.models.enums import OwnerVerification, Position, ProjectKind, Role
from propgraph.models.fund import FundAccount, FundEntry, FundEntryKind
from propgraph.models.hierarchy import Building, Community, District, Project, Street, Unit
from propgraph.models.notice import Notice, NoticeRecipient
from propgraph.models.office import (
    Evaluation,
    EvaluationStatus,
    Half,
    TenderFiling,
    TenderProposal,
    TenderStatus,
)
from propgraph.models.owner import Owner, UnitOwner
from propgraph.models.policy import CasbinRule
from propgraph.models.rating import RATING_ITEMS, Rating
from propgraph.models.repair import (
    RepairKind,
    RepairProject,
    RepairShare,
    RepairStage,
    RepairStatus,
)
from propgraph.models.rollup import NodeStats
from propgraph.models.subsidy import (
    Evidence,
    EvidenceKind,
    SubsidyApplication,
    SubsidyBatch,
    SubsidyRound,
    SubsidyStatus,
)
from propgraph.models.voting import (
    Meeting,
    MeetingStatus,
    Topic,
    Vote,
    VoteChoice,
    VoterNomination,
    VotingRule,
)
from propgraph.models.workflow import (
    AuditEntry,
    Channel,
    Notification,
    NotificationRead,
    Todo,
    TodoStatus,
)

__all__ = [
    "RATING_ITEMS",
    "Account",
    "AuditEntry",
    "Base",
    "Building",
    "CasbinRule",
    "Cents",
    "Channel",
    "Community",
    "Delegation",
    "District",
    "Enterprise",
    "Evaluation",
    "EvaluationStatus",
    "Evidence",
    "EvidenceKind",
    "FundAccount",
    "FundEntry",
    "FundEntryKind",
    "Half",
    "Meeting",
    "MeetingStatus",
    "NodeStats",
    "Notice",
    "NoticeRecipient",
    "Notification",
    "NotificationRead",
    "Owner",
    "OwnerVerification",
    "Position",
    "Project",
    "ProjectKind",
    "Rating",
    "RepairKind",
    "RepairProject",
    "RepairShare",
    "RepairStage",
    "RepairStatus",
    "Role",
    "ScaledDecimal",
    "Street",
    "SubsidyApplication",
    "SubsidyBatch",
    "SubsidyRound",
    "SubsidyStatus",
    "TenderFiling",
    "TenderProposal",
    "TenderStatus",
    "Todo",
    "TodoStatus",
    "Topic",
    "Unit",
    "UnitOwner",
    "Vote",
    "VoteChoice",
    "VoterNomination",
    "VotingRule",
]
