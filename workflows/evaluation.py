"""The half-year evaluation (半年考评, SPEC 3.3, seed 001 §13).

    community scores → SCORED ─street clerk approves (may re-score)→ APPROVED
    the community may re-score while it is SCORED

Windows: 1–30 June for H1, 1–30 December for H2, by the one injectable clock.
A half whose evaluation is not approved when its window closes scores 100;
the annual score is the mean of the two halves. ``MACHINE`` is the table;
the windows and scores are the pure functions below it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from propgraph.models import EvaluationStatus as E
from propgraph.models import Half, Position, Role
from propgraph.resolvers.office.kinds import EVALUATION
from propgraph.workflows.errors import invalid, invalid_state
from propgraph.workflows.machine import Accounts, Machine, Notice, Todo, Transition

SUBJECT = EVALUATION.name
TENTH = Decimal("0.1")
DEFAULT_SCORE = Decimal(100)  # a half not approved when its window closes

# --- actions ------------------------------------------------------------------------
SCORE = "evaluation.score"
RESCORE = "evaluation.rescore"
APPROVE = "evaluation.approve"

REVIEW = Todo(
    "evaluation.review", "审核半年考评：{project_name}（{year}年{half}）", Role.STREET, "street_id"
)

MACHINE = Machine(
    kind=EVALUATION,
    subject_key="evaluation_id",
    updated_at="updated_at",
    transitions=(
        Transition(
            action=SCORE,
            sources=(),
            target=E.SCORED,
            roles=(Role.COMMUNITY,),
            note="score {community_score}",
            notices=(
                Notice(
                    template="evaluation.review_requested",
                    text="【物业监管平台】{project_name}{year}年{half}考评已评分，请及时审核。",
                    to=Accounts(Role.STREET, "street_id"),
                    payload={"project": "{project_name}", "year": "{year}", "half": "{half}"},
                ),
            ),
            opens=(REVIEW,),
        ),
        Transition(
            action=RESCORE,
            sources=(E.SCORED,),
            target=E.SCORED,
            roles=(Role.COMMUNITY,),
            refusal="An evaluation that is {status} can no longer be re-scored.",
            note="score {community_score}",
        ),
        Transition(
            action=APPROVE,
            sources=(E.SCORED,),
            target=E.APPROVED,
            roles=(Role.STREET,),
            positions=(Position.CLERK,),
            refusal="An evaluation that is {status} cannot be approved again.",
            closes_todos=True,
            notices=(
                Notice(
                    template="evaluation.approved",
                    text="【物业监管平台】{project_name}{year}年{half}考评已审核，得分{score}。",
                    to=Accounts(Role.COMMUNITY, "community_id"),
                    payload={"project": "{project_name}", "score": "{score}"},
                ),
            ),
        ),
    ),
)


# --- rules that decide: pure functions ------------------------------------------------


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the platform's years; also keeps date() in range


def parse_year(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise invalid(field, f"The year must be from {FIRST_YEAR} to {LAST_YEAR}.")
    return year


def window(year: int, half: Half) -> tuple[date, date]:
    """The scoring window: 1–30 June (H1) or 1–30 December (H2)."""
    month = 6 if half == Half.H1 else 12
    return date(year, month, 1), date(year, month, 30)


def require_window(year: int, half: Half, today: date) -> None:
    opens, closes = window(year, half)
    if not opens <= today <= closes:
        raise invalid_state(
            f"{year} {half.value} is evaluated from {opens} to {closes}; today is {today}."
        )


def parse_score(value: float | None, field: str = "score") -> Decimal | None:
    """0–100 with at most one decimal."""
    if value is None:
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation as exc:
        raise invalid(field, "The score must be a number from 0 to 100.") from exc
    if not score.is_finite() or not 0 <= score <= 100:
        raise invalid(field, "The score must be from 0 to 100.")
    if score != score.quantize(TENTH):
        raise invalid(field, "The score may have at most one decimal.")
    return score.quantize(TENTH)


def parse_comment(value: str | None, *, required: bool) -> str | None:
    comment = (value or "").strip() or None
    if required and comment is None:
        raise invalid("comment", "An approval needs a review comment.")
    if comment and len(comment) > 1000:
        raise invalid("comment", "A comment may have at most 1,000 characters.")
    return comment


def half_score(
    year: int, half: Half, status: str | None, score: Decimal | None, today: date
) -> Decimal | None:
    """The half's final score: the approved one; 100 once the window closed unapproved;
    None while it may still change."""
    if status == E.APPROVED and score is not None:
        return score
    if today > window(year, half)[1]:
        return DEFAULT_SCORE
    return None


def annual(h1: Decimal | None, h2: Decimal | None) -> Decimal | None:
    """The mean of the two halves, once both are final."""
    if h1 is None or h2 is None:
        return None
    return ((h1 + h2) / 2).quantize(Decimal("0.01"))
