"""The epidemic-prevention subsidy state machine (SPEC 3.1, seeds 000 and 004).

    create → DRAFT ─submit→ SUBMITTED ─community→ COMMUNITY_APPROVED ─street→ STREET_APPROVED
      ─district→ DISTRICT_APPROVED ─report batch→ REPORTED ─mark paid→ PAID
    any review may reject (reason required) → RETURNED ─manager resubmits→ SUBMITTED

A rejection always returns the application to the project manager, never to
the previous reviewer (seed 000, FAQ 8). ``MACHINE`` is the whole table: each
transition, who may take it, what it writes and every message text; the rules
that decide (amounts, windows, inputs) are the pure functions below it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.models import Role
from propgraph.models import SubsidyStatus as S
from propgraph.resolvers.subsidy.kinds import SUBSIDY_APPLICATION
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import invalid, invalid_state
from propgraph.workflows.machine import Accounts, Machine, Notice, Phone, Todo, Transition

SUBJECT = SUBSIDY_APPLICATION.name
CENT = Decimal("0.01")
MAX_AREA = Decimal("100000000")  # 1亿 m²: no single project is larger
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \d also matches other scripts
MAX_BATCH = 5000

SUBMITTABLE = frozenset({S.DRAFT, S.RETURNED})  # evidence may be uploaded then too

# --- actions (the names mutations call apply() with; also the audit actions) ---------
CREATE = "subsidy.create"
UPDATE = "subsidy.update"
DELETE = "subsidy.delete"
SUBMIT = "subsidy.submit"
APPROVE = "subsidy.approve"
REJECT = "subsidy.reject"
REPORT = "subsidy.report"
PAID = "subsidy.paid"
EVIDENCE = "subsidy.evidence"  # an upload: audited, not a transition (no new version)

# --- who is told, and what ------------------------------------------------------------
# The manager: SMS to the phone typed on the application, and the same message
# in-app to the project's MANAGER accounts that the SMS does not reach.
MANAGER_PHONE = Phone("manager_phone", also=Accounts(Role.MANAGER, "project_id"))
# The reviewing offices in turn: (role, its scope column on the application, name).
OFFICES = (
    (Role.COMMUNITY, "community_id", "社区工作站"),
    (Role.STREET, "street_id", "街道办"),
    (Role.DISTRICT, "district_id", "区住建局"),
)
REVIEWED = (S.SUBMITTED, S.COMMUNITY_APPROVED, S.STREET_APPROVED)  # each office's in-tray
APPROVED = (S.COMMUNITY_APPROVED, S.STREET_APPROVED, S.DISTRICT_APPROVED)
NOT_YOURS = "An application that is {status} is not for your review."


def ask_to_review(office: int) -> tuple[Notice, Todo]:
    """WECHAT push to the office's accounts, and its pending to-do."""
    role, column, name = OFFICES[office]
    return (
        Notice(
            template="subsidy.review_requested",
            text="【物业监管平台】{project_name}的疫情防控补贴申请待您审核，请及时登录系统办理。",
            to=Accounts(role, column),
            payload={"project": "{project_name}", "level": name},
        ),
        Todo("subsidy.review", "审核疫情防控补贴申请：{project_name}", role, column),
    )


def manager_todo(title: str) -> Todo:
    """A pending to-do for the project's manager (a draft to submit, or a return)."""
    return Todo("subsidy.submit", f"{title}：{{project_name}}", Role.MANAGER, "project_id")


RETURNED_TEXT = Notice(
    template="subsidy.returned",
    text="【物业监管平台】您提交的{project_name}疫情防控补贴申请未通过{office}审核："
    "{comment}。请登录系统修改后重新提交。",
    to=MANAGER_PHONE,
    payload={"project": "{project_name}", "level": "{office}", "reason": "{comment}"},
)
APPROVED_TEXT = Notice(
    template="subsidy.approved",
    text="【物业监管平台】您提交的{project_name}疫情防控补贴申请已通过{office}审核，"
    "将由区住建局集中报送发放。",
    to=MANAGER_PHONE,
    payload={"project": "{project_name}", "level": "{office}"},
)
PAID_TEXT = Notice(
    template="subsidy.paid",
    text="【物业监管平台】{project_name}的疫情防控补贴{amount}元已于{paid_on}拨付。",
    to=MANAGER_PHONE,
    payload={"project": "{project_name}", "amount": "{amount}", "paid_on": "{paid_on}"},
)


def _approve(office: int) -> Transition:
    role, _, name = OFFICES[office]
    last = office == len(OFFICES) - 1
    effects: tuple[tuple[Notice, ...], tuple[Todo, ...]]
    if last:  # to the manager by SMS; the district reports it in a batch
        report = Todo("subsidy.report", "集中报送疫情防控补贴：{project_name}", role, "district_id")
        effects = (APPROVED_TEXT,), (report,)
    else:
        notice, todo = ask_to_review(office + 1)
        effects = (notice,), (todo,)
    return Transition(
        action=APPROVE,
        sources=(REVIEWED[office],),
        target=APPROVED[office],
        roles=(role,),
        refusal=NOT_YOURS,
        closes_todos=True,
        notices=effects[0],
        opens=effects[1],
        facts={"office": name},
    )


def _reject(office: int) -> Transition:
    # Back to the manager, never to the previous reviewer (seed 000, FAQ 8).
    role, _, name = OFFICES[office]
    return Transition(
        action=REJECT,
        sources=(REVIEWED[office],),
        target=S.RETURNED,
        roles=(role,),
        refusal=NOT_YOURS,
        closes_todos=True,
        notices=(RETURNED_TEXT,),
        opens=(manager_todo("修改并重新提交疫情防控补贴申请"),),
        facts={"office": name},
    )


async def _audit(conn: AsyncConnection, **entry: Any) -> None:
    # Looked up when called, not bound at import: a test replaces
    # ``record_transition`` here to fail the audit after the UPDATE.
    await record_transition(conn, **entry)


MACHINE = Machine(
    kind=SUBSIDY_APPLICATION,
    subject_key="application_id",
    updated_at="updated_at",
    audit=_audit,
    transitions=(
        Transition(
            action=CREATE,
            sources=(),
            target=S.DRAFT,
            roles=(Role.ENTERPRISE,),
            opens=(manager_todo("确认并提交疫情防控补贴申请"),),
        ),
        Transition(
            action=UPDATE,
            sources=(S.DRAFT,),
            target=S.DRAFT,
            roles=(Role.ENTERPRISE,),
            refusal="Only a draft can be edited; the manager has submitted it.",
        ),
        # Checked by the table; the mutation deletes the row, so it records the entry itself.
        Transition(
            action=DELETE,
            sources=(S.DRAFT,),
            target="DELETED",
            roles=(Role.ENTERPRISE,),
            refusal="Only a draft can be deleted; the manager has submitted it.",
        ),
        Transition(
            action=SUBMIT,
            sources=(S.DRAFT, S.RETURNED),
            target=S.SUBMITTED,
            roles=(Role.MANAGER,),
            refusal="An application that is {status} cannot be submitted.",
            closes_todos=True,
            notices=(ask_to_review(0)[0],),
            opens=(ask_to_review(0)[1],),
        ),
        *(_approve(office) for office in range(len(OFFICES))),
        *(_reject(office) for office in range(len(OFFICES))),
        Transition(
            action=REPORT,
            sources=(S.DISTRICT_APPROVED,),
            target=S.REPORTED,
            roles=(Role.DISTRICT,),
            refusal="Only district-approved applications can be reported.",
            note="amount {amount}",
            closes_todos=True,
        ),
        Transition(
            action=PAID,
            sources=(S.REPORTED,),
            target=S.PAID,
            roles=(Role.DISTRICT,),
            refusal="Only a reported application can be paid.",
            note="paid on {paid_on}",
            notices=(PAID_TEXT,),
        ),
    ),
)


# --- rules that decide: pure functions ------------------------------------------------


def subsidy_amount(area: Decimal, rate: Decimal, months: int) -> Decimal:
    """area × rate × months, in exact decimals, rounded half-up to the fen."""
    return (area * rate * months).quantize(CENT, rounding=ROUND_HALF_UP)


def require_open(opens_on: date, closes_on: date, today: date) -> None:
    if not opens_on <= today <= closes_on:
        raise invalid_state(
            f"The round accepts applications from {opens_on} to {closes_on}; today is {today}."
        )


def parse_area(value: float | None, field: str) -> Decimal | None:
    """A positive area in m², at most two decimals."""
    if value is None:
        return None
    try:
        area = Decimal(str(value))
    except InvalidOperation as exc:
        raise invalid(field, "The area must be a number of square metres.") from exc
    if not area.is_finite() or area <= 0 or area > MAX_AREA:
        raise invalid(field, "The area must be more than 0 and at most 100,000,000 m².")
    if area != area.quantize(CENT):
        raise invalid(field, "The area may have at most two decimals.")
    return area


def parse_name(value: str | None, field: str) -> str:
    name = (value or "").strip()
    if not 1 <= len(name) <= 64:
        raise invalid(field, "A name of 1 to 64 characters is required.")
    return name


def parse_mobile(value: str | None, field: str) -> str:
    phone = (value or "").strip()
    if not MOBILE.match(phone):
        raise invalid(field, "An 11-digit mainland mobile number is required, e.g. 13812345678.")
    return phone


def parse_comment(value: str | None, *, required: bool) -> str | None:
    comment = (value or "").strip() or None
    if required and comment is None:
        raise invalid("comment", "A rejection needs a reason.")
    if comment and len(comment) > 1000:
        raise invalid("comment", "A comment may have at most 1,000 characters.")
    return comment


def require_pledge(accepted: bool | None) -> None:
    if accepted is not True:
        raise invalid("acceptPledge", "The pledge letter (承诺函) must be accepted to submit.")


def require_evidence(area: Decimal, recorded_area: Decimal, evidence: list[int]) -> None:
    """A changed area needs at least one supporting document."""
    if area != recorded_area and not evidence:
        raise invalid(
            "evidenceIds",
            "A changed area needs at least one piece of evidence (contract, area table, "
            "completion report).",
        )


def area_confirmation(
    *, role: str, approving: bool, area: Decimal, recorded_area: Decimal, confirmed: bool | None
) -> dict[str, Any]:
    """The street confirms a changed area explicitly when it approves: the values to write."""
    if not approving or role != Role.STREET or area == recorded_area:
        return {}
    if confirmed is not True:
        raise invalid(
            "confirmArea",
            f"The area was changed from {recorded_area} to {area} m²; "
            "confirm it (confirmArea: true) after checking the evidence.",
        )
    return {"area_confirmed": True}


def check_batch(ids: Sequence[str]) -> None:
    """A batch names 1 to MAX_BATCH applications, each once."""
    if not ids:
        raise invalid("applicationIds", "A batch needs at least one application.")
    if len(ids) > MAX_BATCH:
        raise invalid("applicationIds", f"A batch holds at most {MAX_BATCH} applications.")
    if len(set(ids)) != len(ids):
        raise invalid("applicationIds", "An application appears twice in the batch.")


def check_paid_on(paid_on: date, *, reported_on: date, today: date) -> None:
    if paid_on < reported_on:
        raise invalid("paidOn", "A batch cannot be paid before it was reported.")
    if paid_on > today:
        raise invalid("paidOn", "The payment date cannot be in the future.")
