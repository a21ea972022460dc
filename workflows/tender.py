"""Tender-document filing (招标文件备案, SPEC 3.3, seed 001 §21).

    enterprise or manager files → FILED ─street clerk's opinion→ CLERK_REVIEWED
      ─street head→ APPROVED | REJECTED | FILED (returned to the clerk)
    REJECTED ─the filer fixes and refiles→ FILED

Age in working days (workflows/workdays.py) from filing to the decision, or
to today while undecided: at most 5 NORMAL, 6–9 OVERDUE, 10+ SEVERELY_OVERDUE.
"""

from __future__ import annotations

from propgraph.models import Position, Role
from propgraph.models import TenderStatus as T
from propgraph.resolvers.office.kinds import TENDER_FILING
from propgraph.workflows.errors import invalid
from propgraph.workflows.machine import Accounts, Machine, Notice, Todo, Transition

SUBJECT = TENDER_FILING.name

# --- actions ------------------------------------------------------------------------
FILE = "tender.file"
REFILE = "tender.refile"
OPINION = "tender.opinion"
APPROVE = "tender.approve"
REJECT = "tender.reject"
RETURN = "tender.return"

FILERS = (Role.ENTERPRISE, Role.MANAGER)
CLERK_TODO = Todo(
    "tender.opinion", "招标文件备案初审：{project_name}《{title}》", Role.STREET, "street_id"
)
HEAD_TODO = Todo(
    "tender.decide", "招标文件备案审定：{project_name}《{title}》", Role.STREET, "street_id"
)
TO_STREET = Notice(
    template="tender.review_requested",
    text="【物业监管平台】{project_name}的招标文件《{title}》已备案，请及时审核。",
    to=Accounts(Role.STREET, "street_id"),
    payload={"project": "{project_name}", "title": "{title}"},
)
TO_FILER = Accounts(Role.MANAGER, "project_id")
NOT_YOURS = "A filing that is {status} is not waiting for this step."

MACHINE = Machine(
    kind=TENDER_FILING,
    subject_key="tender_filing_id",
    updated_at="updated_at",
    transitions=(
        Transition(
            action=FILE,
            sources=(),
            target=T.FILED,
            roles=FILERS,
            notices=(TO_STREET,),
            opens=(CLERK_TODO,),
        ),
        Transition(
            action=REFILE,
            sources=(T.REJECTED,),
            target=T.FILED,
            roles=FILERS,
            refusal="Only a rejected filing can be filed again; this one is {status}.",
            closes_todos=True,
            notices=(TO_STREET,),
            opens=(CLERK_TODO,),
        ),
        Transition(
            action=OPINION,
            sources=(T.FILED,),
            target=T.CLERK_REVIEWED,
            roles=(Role.STREET,),
            positions=(Position.CLERK,),
            refusal=NOT_YOURS,
            note="propose {proposal}: {remark}",
            closes_todos=True,
            opens=(HEAD_TODO,),
        ),
        Transition(
            action=APPROVE,
            sources=(T.CLERK_REVIEWED,),
            target=T.APPROVED,
            roles=(Role.STREET,),
            positions=(Position.HEAD,),
            refusal="A filing that is {status} cannot be decided: the clerk's opinion comes first.",
            closes_todos=True,
            notices=(
                Notice(
                    template="tender.approved",
                    text="【物业监管平台】{project_name}的招标文件《{title}》已备案通过。",
                    to=TO_FILER,
                    payload={"project": "{project_name}", "title": "{title}"},
                ),
            ),
        ),
        Transition(
            action=REJECT,
            sources=(T.CLERK_REVIEWED,),
            target=T.REJECTED,
            roles=(Role.STREET,),
            positions=(Position.HEAD,),
            refusal="A filing that is {status} cannot be decided: the clerk's opinion comes first.",
            closes_todos=True,
            notices=(
                Notice(
                    template="tender.rejected",
                    text="【物业监管平台】{project_name}的招标文件《{title}》未通过备案："
                    "{comment}。请修改后重新备案。",
                    to=TO_FILER,
                    payload={"project": "{project_name}", "reason": "{comment}"},
                ),
            ),
            opens=(
                Todo(
                    "tender.refile", "修改并重新备案招标文件：{title}", Role.MANAGER, "project_id"
                ),
            ),
        ),
        Transition(
            action=RETURN,
            sources=(T.CLERK_REVIEWED,),
            target=T.FILED,
            roles=(Role.STREET,),
            positions=(Position.HEAD,),
            refusal="A filing that is {status} cannot be decided: the clerk's opinion comes first.",
            closes_todos=True,
            opens=(CLERK_TODO,),
        ),
    ),
)


def parse_text(value: str | None, field: str, *, required: bool, limit: int) -> str | None:
    text = (value or "").strip() or None
    if required and text is None:
        raise invalid(field, f"`{field}` is required.")
    if text and len(text) > limit:
        raise invalid(field, f"`{field}` may have at most {limit} characters.")
    return text
