"""The epidemic-prevention subsidy state machine (SPEC 3.1, seeds 000 and 004).

    DRAFT ─submit→ SUBMITTED ─community→ COMMUNITY_APPROVED ─street→ STREET_APPROVED
      ─district→ DISTRICT_APPROVED ─report batch→ REPORTED ─mark paid→ PAID
    any review may reject (reason required) → RETURNED ─manager resubmits→ SUBMITTED

A rejection always returns the application to the project manager, never to
the previous reviewer (seed 000, FAQ 8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from propgraph.authz.viewer import AccountRow
from propgraph.models import Channel, Role, SubsidyStatus
from propgraph.workflows import outbox, todos
from propgraph.workflows.audit import record_transition
from propgraph.workflows.errors import invalid, invalid_state

SUBJECT = "SubsidyApplication"
CENT = Decimal("0.01")
MAX_AREA = Decimal("100000000")  # 1亿 m²: no single project is larger
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \d also matches other scripts

EDITABLE = frozenset({SubsidyStatus.DRAFT})
SUBMITTABLE = frozenset({SubsidyStatus.DRAFT, SubsidyStatus.RETURNED})

LEVEL_NAME = {Role.COMMUNITY: "社区工作站", Role.STREET: "街道办", Role.DISTRICT: "区住建局"}
# The application column holding each reviewing office's scope node.
OFFICE_COLUMN = {
    Role.COMMUNITY: "community_id",
    Role.STREET: "street_id",
    Role.DISTRICT: "district_id",
}


@dataclass(frozen=True)
class ReviewStage:
    reviewer: Role
    approved: SubsidyStatus
    next_reviewer: Role | None


REVIEW_STAGES: dict[SubsidyStatus, ReviewStage] = {
    SubsidyStatus.SUBMITTED: ReviewStage(
        Role.COMMUNITY, SubsidyStatus.COMMUNITY_APPROVED, Role.STREET
    ),
    SubsidyStatus.COMMUNITY_APPROVED: ReviewStage(
        Role.STREET, SubsidyStatus.STREET_APPROVED, Role.DISTRICT
    ),
    SubsidyStatus.STREET_APPROVED: ReviewStage(
        Role.DISTRICT, SubsidyStatus.DISTRICT_APPROVED, None
    ),
}


def review_stage(status: SubsidyStatus, reviewer: Role) -> ReviewStage:
    stage = REVIEW_STAGES.get(status)
    if stage is None or stage.reviewer != reviewer:
        raise invalid_state(f"An application that is {status.value} is not for your review.")
    return stage


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


# --- what transitions write -------------------------------------------------------


async def record(
    conn: AsyncConnection,
    app_id: int,
    actor: AccountRow,
    at: datetime,
    action: str,
    from_status: str | None,
    to_status: str,
    comment: str | None = None,
) -> None:
    """The application's audit entry for one transition."""
    await record_transition(
        conn,
        subject_type=SUBJECT,
        subject_id=app_id,
        actor=actor,
        at=at,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


async def ask_office_to_review(
    conn: AsyncConnection, app: Any, reviewer: Role, project_name: str, now: datetime
) -> None:
    """WECHAT push to the reviewing office's accounts, and its pending to-do."""
    column = OFFICE_COLUMN[reviewer]
    scope_id = getattr(app, column)
    recipients = [a.id for a in await outbox.office_accounts(conn, reviewer, column, scope_id)]
    await outbox.enqueue(
        conn,
        channel=Channel.WECHAT,
        template="subsidy.review_requested",
        text=f"【物业监管平台】{project_name}的疫情防控补贴申请待您审核，请及时登录系统办理。",
        payload={"application_id": app.id, "project": project_name, "level": LEVEL_NAME[reviewer]},
        now=now,
        account_ids=recipients,
        subject=(SUBJECT, app.id),
    )
    await todos.open_todo(
        conn,
        kind="subsidy.review",
        title=f"审核疫情防控补贴申请：{project_name}",
        subject_type=SUBJECT,
        subject_id=app.id,
        role=reviewer,
        scope_id=scope_id,
        now=now,
    )


async def hand_back_to_manager(
    conn: AsyncConnection, app: Any, project_name: str, now: datetime, *, title: str
) -> None:
    """A pending to-do for the project's manager (draft to submit, or returned)."""
    await todos.open_todo(
        conn,
        kind="subsidy.submit",
        title=f"{title}：{project_name}",
        subject_type=SUBJECT,
        subject_id=app.id,
        role=Role.MANAGER,
        scope_id=app.project_id,
        now=now,
    )


async def text_manager(
    conn: AsyncConnection,
    app: Any,
    project_name: str,
    now: datetime,
    *,
    template: str,
    text: str,
    **payload: Any,
) -> None:
    """SMS to the phone typed on the application, and the same message in-app
    (WECHAT) to the project's MANAGER accounts that the SMS does not reach."""
    common = {
        "template": template,
        "text": text,
        "payload": {"application_id": app.id, "project": project_name, **payload},
        "now": now,
        "subject": (SUBJECT, app.id),
    }
    await outbox.enqueue(conn, channel=Channel.SMS, phone=app.manager_phone, **common)
    managers = await outbox.office_accounts(conn, Role.MANAGER, "project_id", app.project_id)
    unreached = [a.id for a in managers if a.phone != app.manager_phone]
    await outbox.enqueue(conn, channel=Channel.WECHAT, account_ids=unreached, **common)
