"""Maintenance-fund repair projects (SPEC 3.4, seed 003 1.5): the whole state machine.

    create → DRAFT ─startVote (NORMAL, SIMPLE)→ VOTING ─publish (vote passed)→ PUBLICITY
             DRAFT ─import shares→ DRAFT (the budget becomes their sum; workflows/repair_import.py)
             DRAFT ─publish (EMERGENCY: no vote)→ PUBLICITY        VOTING ─vote failed→ CANCELLED
    NORMAL, EMERGENCY: PUBLICITY ─submit→ SUBMITTED ─district approves→ APPROVED
        ─pay stages (≤ 70% and never the last stage before acceptance)→ APPROVED
        ─accept (settled amount, with its publicity)→ ACCEPTED ─pay…→ ACCEPTED ─pay the rest→ CLOSED
    SIMPLE (works already done, seed 1.5.3): PUBLICITY ─accept→ ACCEPTED ─submit→ SUBMITTED
        ─district approves→ APPROVED ─one payment of exactly the budget→ CLOSED
    the district may reject a submission → PUBLICITY (an acceptance already made stands)
    refund (all paid money back to the units) keeps the status; cancel (nothing paid) → CANCELLED

``MACHINE`` is the table: each transition, who may take it, what it writes
and every message text. The rules that decide (money to the fen,
apportionment, the plan, the 70% rule, which kind may take which step) are
the pure functions below it; ``workflows/repair_steps.py`` runs the steps
that move money or open the owners' meeting, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Protocol, TypeVar

from propgraph.models import Role
from propgraph.models.repair import RepairKind
from propgraph.models.repair import RepairStatus as S
from propgraph.resolvers.repair.kinds import REPAIR_PROJECT
from propgraph.workflows.errors import invalid, invalid_state
from propgraph.workflows.machine import Accounts, Machine, Notice, Todo, Transition

K = TypeVar("K", bound=Hashable)
SUBJECT = REPAIR_PROJECT.name

# --- actions (the names apply() is called with; also the audit actions) --------------
CREATE = "repair.create"
START_VOTE = "repair.start_vote"
VOTE_FAILED = "repair.vote_failed"
PUBLISH = "repair.publish"
SUBMIT = "repair.submit"
APPROVE = "repair.approve"
REJECT = "repair.reject"
ACCEPT = "repair.accept"
PAY = "repair.pay"
PAY_OFF = "repair.pay_off"  # the payment that pays the settled amount in full: CLOSED
REFUND = "repair.refund"
CANCEL = "repair.cancel"
IMPORT_SHARES = "repair.import_shares"  # 导入分摊: edited shares, the budget their sum

APPLICANTS = (Role.ENTERPRISE, Role.MANAGER)  # the project's enterprise and manager
PAYABLE = (S.APPROVED, S.ACCEPTED)
OPEN_STATUSES = (S.DRAFT, S.VOTING, S.PUBLICITY, S.SUBMITTED, S.APPROVED, S.ACCEPTED)

# --- who is told, and what ------------------------------------------------------------
MANAGERS = Accounts(Role.MANAGER, "project_id")
DISTRICT = Accounts(Role.DISTRICT, "district_id")
COMMUNITY = Accounts(Role.COMMUNITY, "community_id")


def _tell(template: str, text: str, to: Accounts) -> Notice:
    return Notice(
        template=f"repair.{template}",
        text=f"【物业监管平台】{text}",
        to=to,
        payload={"project": "{project_name}", "title": "{title}"},
    )


def _manager_todo(kind: str, title: str) -> Todo:
    return Todo(f"repair.{kind}", f"{title}：{{title}}", Role.MANAGER, "project_id")


REVIEW_TODO = Todo("repair.review", "审核维修资金使用立项：{title}", Role.DISTRICT, "district_id")

MACHINE = Machine(
    kind=REPAIR_PROJECT,
    subject_key="repair_project_id",
    updated_at="updated_at",
    transitions=(
        Transition(action=CREATE, sources=(), target=S.DRAFT, roles=APPLICANTS),
        Transition(
            action=IMPORT_SHARES,
            sources=(S.DRAFT,),
            target=S.DRAFT,
            roles=APPLICANTS,
            refusal="Shares change only in a draft, before the owners' vote; this project is "
            "{status}.",
            note="shares imported from {filename}: budget {old_budget} → {budget}",
        ),
        Transition(
            action=START_VOTE,
            sources=(S.DRAFT,),
            target=S.VOTING,
            roles=APPLICANTS,
            refusal="The owners vote on a draft only; this project is {status}.",
            note="meeting {meeting_id}",
            closes_todos=True,
        ),
        Transition(
            action=VOTE_FAILED,
            sources=(S.VOTING,),
            target=S.CANCELLED,
            roles=APPLICANTS,
            note="the owners' vote did not reach two thirds of the units and of the area",
            closes_todos=True,
            notices=(
                _tell(
                    "vote_failed",
                    "{project_name}“{title}”业主表决未达双三分之二，项目终止。",
                    MANAGERS,
                ),
            ),
        ),
        Transition(
            action=PUBLISH,
            sources=(S.DRAFT, S.VOTING),
            target=S.PUBLICITY,
            roles=APPLICANTS,
            refusal="A project that is {status} cannot be published.",
            closes_todos=True,
            notices=(
                _tell(
                    "published",
                    "{project_name}维修项目“{title}”已发布立项公示，预算{budget}元。",
                    COMMUNITY,
                ),
            ),
            opens=(_manager_todo("submit", "提交维修资金使用立项申请"),),
        ),
        Transition(
            action=SUBMIT,
            sources=(S.PUBLICITY, S.ACCEPTED),
            target=S.SUBMITTED,
            roles=APPLICANTS,
            refusal="A project that is {status} cannot be submitted.",
            closes_todos=True,
            notices=(
                _tell(
                    "review_requested",
                    "{project_name}维修项目“{title}”的立项申请待您审核，请及时登录系统办理。",
                    DISTRICT,
                ),
            ),
            opens=(REVIEW_TODO,),
        ),
        Transition(
            action=APPROVE,
            sources=(S.SUBMITTED,),
            target=S.APPROVED,
            roles=(Role.DISTRICT,),
            refusal="Only a submitted project is for review; this one is {status}.",
            closes_todos=True,
            notices=(
                _tell(
                    "approved",
                    "{project_name}维修项目“{title}”立项申请已通过区住建局审核，可申请资金拨付。",
                    MANAGERS,
                ),
            ),
            opens=(_manager_todo("pay", "申请维修资金拨付"),),
        ),
        Transition(
            action=REJECT,
            sources=(S.SUBMITTED,),
            target=S.PUBLICITY,
            roles=(Role.DISTRICT,),
            refusal="Only a submitted project is for review; this one is {status}.",
            closes_todos=True,
            notices=(
                _tell(
                    "returned",
                    "{project_name}维修项目“{title}”立项申请未通过审核：{comment}。"
                    "请修改后重新提交。",
                    MANAGERS,
                ),
            ),
            opens=(_manager_todo("submit", "修改并重新提交维修资金使用立项申请"),),
        ),
        Transition(
            action=ACCEPT,
            sources=(S.PUBLICITY, S.APPROVED),
            target=S.ACCEPTED,
            roles=APPLICANTS,
            refusal="A project that is {status} cannot be accepted.",
            note="settled {settled_amount}",
            notices=(
                _tell(
                    "accepted",
                    "{project_name}维修项目“{title}”已验收并发布验收公示，"
                    "结算金额{settled_amount}元。",
                    COMMUNITY,
                ),
            ),
        ),
        *(
            Transition(
                action=PAY,
                sources=(status,),
                target=status,
                roles=APPLICANTS,
                refusal="Payments start once the district has approved; this project is {status}.",
                note="stage {stage}: {amount}",
                notices=(
                    _tell(
                        "paid",
                        "{project_name}维修项目“{title}”第{stage}期拨付{amount}元，"
                        "已从分摊业主的维修资金账户划转。",
                        DISTRICT,
                    ),
                ),
            )
            for status in PAYABLE
        ),
        Transition(
            action=PAY_OFF,
            sources=PAYABLE,
            target=S.CLOSED,
            roles=APPLICANTS,
            refusal="Payments start once the district has approved; this project is {status}.",
            note="stage {stage}: {amount}; paid in full",
            closes_todos=True,
            notices=(
                _tell(
                    "closed", "{project_name}维修项目“{title}”资金拨付完成，共{paid}元。", DISTRICT
                ),
            ),
        ),
        *(
            Transition(
                action=REFUND,
                sources=(status,),
                target=status,
                roles=APPLICANTS,
                refusal="Only a project that has paid can refund; this one is {status}.",
                note="refunded {refunded}",
                notices=(
                    _tell(
                        "refunded",
                        "{project_name}维修项目“{title}”已清退{refunded}元，"
                        "退回分摊业主的维修资金账户。",
                        DISTRICT,
                    ),
                ),
            )
            for status in (*PAYABLE, S.CLOSED)
        ),
        Transition(
            action=CANCEL,
            sources=(*OPEN_STATUSES, S.CLOSED),
            target=S.CANCELLED,
            roles=APPLICANTS,
            refusal="A project that is {status} cannot be cancelled.",
            closes_todos=True,
            notices=(
                _tell("cancelled", "{project_name}维修项目“{title}”已撤销：{comment}。", COMMUNITY),
            ),
        ),
    ),
)


# --- rules that decide: pure functions ------------------------------------------------

FEN = Decimal("0.01")
# 一亿元: far above any repair of shared parts, and well inside BIGINT fen.
MAX_AMOUNT = Decimal("100000000.00")


def parse_money(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """An amount in yuan: a finite decimal with at most two places, above zero.

    Anything else is a VALIDATION error naming ``field``; nothing is rounded.
    """
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, "Give an amount in yuan, such as 1234.56.") from None
    if not amount.is_finite():
        raise invalid(field, "Give an amount in yuan, such as 1234.56.")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise invalid(field, "The amount must be above zero.")
    if amount > MAX_AMOUNT:
        raise invalid(field, f"The amount must not exceed {MAX_AMOUNT} yuan.")
    if amount != amount.quantize(FEN):
        raise invalid(field, "Amounts are exact to the fen: at most two decimals.")
    return amount.quantize(FEN)


def apportion(total: Decimal, weights: Sequence[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """Split ``total`` (fen-exact) over ``weights`` in proportion, to the fen, exactly.

    Largest remainder (Hamilton): each key first gets its exact share rounded
    down to the fen; the fen left over go one each to the keys with the largest
    remainders, ties broken by their order in ``weights``. The shares add up to
    ``total``, each is within one fen of its exact proportion, and the same
    input always gives the same output. Weights must be non-negative with a
    positive sum; keys must be distinct.
    """
    if not weights:
        raise ValueError("nothing to apportion over")
    fen = int((total / FEN).to_integral_value())
    if Decimal(fen) * FEN != total:
        raise ValueError("the total must be exact to the fen")
    exact = [Fraction(w) for _, w in weights]
    whole = sum(exact, Fraction(0))
    if whole <= 0 or any(w < 0 for w in exact):
        raise ValueError("weights must be non-negative with a positive sum")
    if len({k for k, _ in weights}) != len(weights):
        raise ValueError("keys must be distinct")
    quotas = [fen * w / whole for w in exact]
    floors = [q.numerator // q.denominator for q in quotas]
    left = fen - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return {key: Decimal(n) * FEN for (key, _), n in zip(weights, floors, strict=True)}


@dataclass(frozen=True)
class StagePlan:
    name: str
    amount: Decimal


MAX_STAGES = 20


class StageText(Protocol):
    name: str
    amount: Decimal


def parse_stages(stages: Sequence[StageText]) -> list[StagePlan]:
    """A plan as given: at most ``MAX_STAGES`` stages, short names, fen-exact amounts."""
    if len(stages) > MAX_STAGES:
        raise invalid("stages", f"At most {MAX_STAGES} stages.")
    plans = []
    for index, stage in enumerate(stages):
        name = stage.name.strip()
        if len(name) > 64:
            raise invalid(f"stages.{index}.name", "A stage name has at most 64 characters.")
        plans.append(StagePlan(name, parse_money(stage.amount, f"stages.{index}.amount")))
    return plans


def check_stages(stages: Sequence[StagePlan], budget: Decimal) -> None:
    """A disbursement plan: at least one named stage, and stages adding up to the budget."""
    if not stages:
        raise invalid("stages", "Give at least one stage of the disbursement plan.")
    for index, stage in enumerate(stages):
        if not stage.name.strip():
            raise invalid(f"stages.{index}.name", "Name every stage.")
    planned = sum((s.amount for s in stages), Decimal("0.00"))
    if planned != budget:
        raise invalid(
            "stages",
            f"The stages add up to {planned} yuan; they must add up to the budget, {budget}.",
        )


@dataclass(frozen=True)
class Shortfall:
    unit_id: int
    share: Decimal
    balance: Decimal

    @property
    def short(self) -> Decimal:
        return self.share - self.balance


def shortfalls(shares: Mapping[int, Decimal], balances: Mapping[int, Decimal]) -> list[Shortfall]:
    """The units whose fund balance does not cover their share, by unit id."""
    return [
        Shortfall(unit, share, balances.get(unit, Decimal("0.00")))
        for unit, share in sorted(shares.items())
        if balances.get(unit, Decimal("0.00")) < share
    ]


def parse_facilities(values: Sequence[str]) -> list[str]:
    """The shared parts to repair: at least one, each named, none twice."""
    names = [v.strip() for v in values]
    if not names or any(not n for n in names):
        raise invalid("facilities", "Name at least one facility, and no empty names.")
    if len(set(names)) != len(names):
        raise invalid("facilities", "A facility is listed twice.")
    if any(len(n) > 128 for n in names) or len(names) > 100:
        raise invalid("facilities", "At most 100 facilities of at most 128 characters.")
    return names


def check_stage_count(kind: RepairKind, stages: Sequence[StagePlan]) -> None:
    """A simple project is paid once (seed 1.5.3): its plan is one stage."""
    if kind == RepairKind.SIMPLE and len(stages) != 1:
        raise invalid("stages", "A simple project is paid once: give exactly one stage.")


def check_vote_kind(kind: RepairKind) -> None:
    if kind == RepairKind.EMERGENCY:
        raise invalid_state("An emergency repair skips the owners' vote; publish it directly.")


def check_publish(kind: RepairKind, status: str) -> None:
    """Normal and simple projects reach publicity through the owners' vote."""
    if status == S.DRAFT and kind != RepairKind.EMERGENCY:
        raise invalid_state(
            "A normal or simple project needs the owners' vote first (startRepairVote)."
        )


def check_submit(kind: RepairKind, status: str, accepted: bool) -> None:
    """A simple project is accepted before it is submitted; the others after approval."""
    if kind == RepairKind.SIMPLE and not accepted:
        raise invalid_state(
            "A simple project is submitted after its acceptance (the works are done)."
        )
    if kind != RepairKind.SIMPLE and status == S.ACCEPTED:
        raise invalid_state("This project was accepted already; it cannot be submitted again.")


def check_accept(
    kind: RepairKind, status: str, *, budget: Decimal, paid: Decimal, settled: Decimal
) -> None:
    """Simple projects are accepted from publicity at exactly the budget; the others once
    approved, at a settled amount within the budget above what was paid already."""
    if kind == RepairKind.SIMPLE:
        if status != S.PUBLICITY:
            raise invalid_state("A simple project is accepted after its publicity.")
        if settled != budget:
            raise invalid(
                "settledAmount", f"A simple project settles at exactly its budget, {budget}."
            )
        return
    if status != S.APPROVED:
        raise invalid_state("Acceptance follows the district's approval.")
    if settled > budget:
        raise invalid("settledAmount", f"The settled amount may not exceed the budget, {budget}.")
    if settled <= paid:
        raise invalid(
            "settledAmount",
            f"{paid} yuan are paid already; the settled amount must be above it "
            "(refund first if the works cost less).",
        )


@dataclass(frozen=True)
class Payment:
    """What a payment is checked against: the project's and its stage's figures."""

    kind: RepairKind
    budget: Decimal
    paid: Decimal
    settled: Decimal | None  # None until accepted
    stage: int
    last_stage: int
    stage_amount: Decimal
    stage_paid: Decimal


def check_payment(p: Payment, amount: Decimal) -> bool:
    """Refuse a payment the rules forbid; ``True`` if it pays the project in full.

    Each payment is at most what remains of its stage; before acceptance no
    payment may go to the last stage or take the total past 70% of the
    budget (exactly 70% passes); after it the total stops at the settled
    amount. A simple project pays once, after acceptance, exactly its budget.
    """
    accepted = p.settled is not None
    if p.kind == RepairKind.SIMPLE:
        if not accepted:
            raise invalid_state("A simple project pays once, after its acceptance.")
        if p.paid:
            raise invalid_state("A simple project pays once; it has been paid.")
        if amount != p.budget:
            raise invalid("amount", f"A simple project pays exactly its budget, {p.budget}.")
    left = p.stage_amount - p.stage_paid
    if amount > left:
        raise invalid("amount", f"Only {left} yuan remain of stage {p.stage}.")
    total = p.paid + amount
    if not accepted:
        if p.stage == p.last_stage:
            raise invalid_state(
                "The last stage is paid only after the acceptance and its publicity."
            )
        if total * 10 > p.budget * 7:
            raise invalid_state(
                f"This payment takes the total to {total} yuan, past 70% of the budget "
                f"({p.budget}); accept the project first."
            )
        return False
    assert p.settled is not None
    if total > p.settled:
        raise invalid(
            "amount",
            f"The payments may not exceed the settled amount, {p.settled}; "
            f"{p.settled - p.paid} yuan remain.",
        )
    return total == p.settled


def parse_reason(value: str | None, field: str = "reason", *, required: bool = True) -> str | None:
    """A reason or comment: required unless said otherwise, at most 1,000 characters."""
    text = (value or "").strip() or None
    if required and text is None:
        raise invalid(field, "Give a reason.")
    if text is not None and len(text) > 1000:
        raise invalid(field, "A reason has at most 1,000 characters.")
    return text
