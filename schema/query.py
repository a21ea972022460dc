"""The Query root: every area's root fields, described once."""

from __future__ import annotations

import strawberry

from propgraph.schema.accounts import queries as account_queries
from propgraph.schema.funds import queries as funds
from propgraph.schema.graph import queries as graph
from propgraph.schema.nodes import node, nodes
from propgraph.schema.notice import queries as notice
from propgraph.schema.office import queries as office
from propgraph.schema.office.figures import evaluation_figures, tender_figures
from propgraph.schema.owners import queries as owners
from propgraph.schema.owners.stats import owner_stats
from propgraph.schema.repair import queries as repair
from propgraph.schema.subsidy import queries as subsidy
from propgraph.schema.viewer.types import Viewer, me
from propgraph.schema.workflow import queries as workflow


@strawberry.type(description="Everything a viewer may read starts here.")
class Query:
    node = strawberry.field(resolver=node, description="Any node by global id, if you may see it.")
    nodes = strawberry.field(
        resolver=nodes, description="Many nodes by global id, in order; null where not visible."
    )
    me: Viewer | None = strawberry.field(resolver=me, description="You; null when anonymous.")
    districts = strawberry.field(resolver=graph.districts, description="Districts in your scope.")
    streets = strawberry.field(resolver=graph.streets, description="Street offices in your scope.")
    communities = strawberry.field(
        resolver=graph.communities, description="Community work stations in your scope."
    )
    projects = strawberry.field(
        resolver=graph.projects,
        description="Property projects in your scope (public directory when anonymous).",
    )
    enterprises = strawberry.field(
        resolver=graph.enterprises,
        description="Enterprises in your scope (public directory when anonymous).",
    )
    subsidy_rounds = strawberry.field(
        resolver=subsidy.subsidy_rounds, description="Subsidy rounds, newest first."
    )
    subsidy_applications = strawberry.field(
        resolver=subsidy.subsidy_applications,
        description="Subsidy applications in your scope (offices: once submitted).",
    )
    subsidy_batches = strawberry.field(
        resolver=subsidy.subsidy_batches, description="Reported subsidy batches in your scope."
    )
    subsidy_figures = strawberry.field(
        resolver=subsidy.subsidy_figures,
        description="Dashboard figures of the subsidy over your whole scope, by status.",
    )
    owner_stats = strawberry.field(
        resolver=owner_stats,
        description="Owners' figures over your whole scope (the city for the city's offices).",
    )
    rating_ranking = strawberry.field(
        resolver=owners.rating_ranking,
        description="Rated projects by this year's service rating, best first (their city "
        "rank in `rating.rank`); the projects you may see, every project when anonymous.",
    )
    evaluations = strawberry.field(
        resolver=office.evaluations,
        description="Half-year evaluations of the projects in your scope (offices).",
    )
    tender_filings = strawberry.field(
        resolver=office.tender_filings,
        description="Tender-document filings in your scope; filter by status or timeliness.",
    )
    evaluation_figures = strawberry.field(
        resolver=evaluation_figures,
        description="半年考评 figures of a year over your whole scope: per half, projects "
        "scored, approved and defaulted to 100 with the mean score; the mean annual score.",
    )
    tender_figures = strawberry.field(
        resolver=tender_figures,
        description="招标文件备案 figures over your whole scope: filings by status and by "
        "timeliness band.",
    )
    accounts = strawberry.field(
        resolver=account_queries.accounts,
        description="Accounts in your scope: your office's and those of the offices below "
        "it, and the managers of its projects (an enterprise: its own and its managers).",
    )
    policy_rules = strawberry.field(
        resolver=account_queries.policy_rules,
        description="The policy's rules (Casbin `p` rows), those of one subject if given.",
    )
    notices = strawberry.field(
        resolver=notice.notices,
        description="Notices published by your office, or addressed to you, newest first.",
    )
    fund_balance = strawberry.field(
        resolver=funds.fund_balance,
        description="专项维修资金: the sum of the unit fund balances in your scope, yuan.",
    )
    repair_projects = strawberry.field(
        resolver=repair.repair_projects,
        description="维修资金使用: repair projects in your scope (offices, owners: out of draft).",
    )
    todos = strawberry.field(
        resolver=workflow.todos,
        description="待办 (PENDING: waiting for your level) or 已办 (DONE: done by you).",
    )
