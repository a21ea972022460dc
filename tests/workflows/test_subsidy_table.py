"""The subsidy table (workflows/subsidy.py) and its rules, without a database.

``EXPECTED`` is written out here by hand from SPEC 3.1, independently of the
table: a row added to, dropped from or changed in ``MACHINE`` fails a test.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from propgraph.models import Position, Role
from propgraph.models import SubsidyStatus as S
from propgraph.workflows import subsidy
from propgraph.workflows.errors import ErrorCode, MutationError
from propgraph.workflows.machine import Accounts, Phone, Transition

MACHINE = subsidy.MACHINE
POSITIONS = (None, Position.HEAD, Position.CLERK)
STATUSES = (None, *S, "DELETED")

# (action, role, from status) → to status: every move SPEC 3.1 allows, and no other.
EXPECTED = {
    (subsidy.CREATE, Role.ENTERPRISE, None): S.DRAFT,
    (subsidy.UPDATE, Role.ENTERPRISE, S.DRAFT): S.DRAFT,
    (subsidy.DELETE, Role.ENTERPRISE, S.DRAFT): "DELETED",
    (subsidy.SUBMIT, Role.MANAGER, S.DRAFT): S.SUBMITTED,
    (subsidy.SUBMIT, Role.MANAGER, S.RETURNED): S.SUBMITTED,
    (subsidy.APPROVE, Role.COMMUNITY, S.SUBMITTED): S.COMMUNITY_APPROVED,
    (subsidy.APPROVE, Role.STREET, S.COMMUNITY_APPROVED): S.STREET_APPROVED,
    (subsidy.APPROVE, Role.DISTRICT, S.STREET_APPROVED): S.DISTRICT_APPROVED,
    (subsidy.REJECT, Role.COMMUNITY, S.SUBMITTED): S.RETURNED,
    (subsidy.REJECT, Role.STREET, S.COMMUNITY_APPROVED): S.RETURNED,
    (subsidy.REJECT, Role.DISTRICT, S.STREET_APPROVED): S.RETURNED,
    (subsidy.REPORT, Role.DISTRICT, S.DISTRICT_APPROVED): S.REPORTED,
    (subsidy.PAID, Role.DISTRICT, S.REPORTED): S.PAID,
}
ACTIONS = sorted({action for action, _, _ in EXPECTED})


def step_id(step: object) -> str:
    if isinstance(step, tuple):
        return "-".join(str(part) for part in step)
    return str(step)


def take(
    action: str,
    role: str,
    status: str | None,
    position: str | None = None,
    *,
    version: int = 4,
    seen: int = 4,
    machine: object = MACHINE,
) -> Transition:
    creating = status is None
    return machine.transition(  # type: ignore[attr-defined]
        action,
        role=role,
        position=position,
        status=status,
        version=None if creating else version,
        expected_version=None if creating else seen,
    )


def refusal(action: str, role: str, status: str | None, position: str | None = None) -> str:
    with pytest.raises(MutationError) as caught:
        take(action, role, status, position)
    return caught.value.code.value


@pytest.mark.parametrize(("step", "target"), EXPECTED.items(), ids=step_id)
def test_every_transition_is_allowed_for_its_role_in_any_position(
    step: tuple[str, Role, str | None], target: str
) -> None:
    action, role, status = step
    for position in POSITIONS:
        transition = take(action, role, status, position)
        assert (transition.action, transition.target) == (action, target)


def test_the_table_has_no_other_transition() -> None:
    declared = {
        (t.action, role, source): t.target
        for t in MACHINE.transitions
        for role in t.roles
        for source in t.sources or (None,)
    }
    assert declared == EXPECTED
    assert all(not t.positions for t in MACHINE.transitions)  # SPEC 3.1 names no position


@pytest.mark.parametrize("action", ACTIONS)
def test_every_other_role_and_status_is_refused(action: str) -> None:
    for role in Role:
        may_ever = any(a == action and r == role for a, r, _ in EXPECTED)
        for status in STATUSES:
            if (action, role, status) in EXPECTED:
                continue
            # a role without this action is forbidden; one at the wrong stage is invalid
            expected = "INVALID_STATE" if may_ever else "FORBIDDEN"
            assert refusal(action, role, status) == expected, (role, status)


@pytest.mark.parametrize("step", list(EXPECTED), ids=step_id)
def test_a_stale_version_is_a_conflict_before_anything_else(
    step: tuple[str, Role, str | None],
) -> None:
    action, role, status = step
    if status is None:
        pytest.skip("a creation has no version yet")
    for seen in (3, 5):
        with pytest.raises(MutationError) as caught:
            take(action, role, status, seen=seen)
        assert (caught.value.code, caught.value.field) == (ErrorCode.CONFLICT, "version")
    # stale and at the wrong stage: the conflict is reported (a racing reviewer's loss)
    with pytest.raises(MutationError) as caught:
        take(action, Role.OWNER, S.PAID, seen=3)
    assert caught.value.code == ErrorCode.CONFLICT


def test_the_wrong_reviewer_hears_it_is_not_for_their_review() -> None:
    with pytest.raises(MutationError) as caught:
        take(subsidy.APPROVE, Role.STREET, S.SUBMITTED)
    assert caught.value.message == "An application that is SUBMITTED is not for your review."
    with pytest.raises(MutationError) as caught:
        take(subsidy.SUBMIT, Role.MANAGER, S.REPORTED)
    assert caught.value.message == "An application that is REPORTED cannot be submitted."


def test_a_position_narrows_a_transition() -> None:
    # given a table whose district approval is the head's alone
    heads_only = tuple(
        dataclasses.replace(t, positions=(Position.HEAD,))
        if (t.action, t.roles) == (subsidy.APPROVE, (Role.DISTRICT,))
        else t
        for t in MACHINE.transitions
    )
    machine = dataclasses.replace(MACHINE, transitions=heads_only)
    # then the head may take it, the clerk and a position-less account may not
    step = (subsidy.APPROVE, Role.DISTRICT, S.STREET_APPROVED)
    assert take(*step, Position.HEAD, machine=machine).target == S.DISTRICT_APPROVED
    for position in (Position.CLERK, None):
        with pytest.raises(MutationError) as caught:
            take(*step, position, machine=machine)
        assert caught.value.code == ErrorCode.FORBIDDEN
    # and the other levels are unchanged
    assert take(subsidy.APPROVE, Role.STREET, S.COMMUNITY_APPROVED, Position.CLERK, machine=machine)


def test_one_move_may_be_split_by_position() -> None:
    # given a street approval the clerk takes to one status and the head to another
    step = (subsidy.APPROVE, Role.STREET, S.COMMUNITY_APPROVED)
    clerk = Transition(
        action=subsidy.APPROVE,
        sources=(S.COMMUNITY_APPROVED,),
        target=S.STREET_APPROVED,
        roles=(Role.STREET,),
        positions=(Position.CLERK,),
    )
    head = dataclasses.replace(clerk, target=S.DISTRICT_APPROVED, positions=(Position.HEAD,))
    others = tuple(t for t in MACHINE.transitions if (t.action, t.roles) != (step[0], (step[1],)))
    machine = dataclasses.replace(MACHINE, transitions=(*others, clerk, head))
    # then each position takes its own row, and an account without one takes neither
    assert take(*step, Position.CLERK, machine=machine) is clerk
    assert take(*step, Position.HEAD, machine=machine) is head
    with pytest.raises(MutationError) as caught:
        take(*step, None, machine=machine)
    assert caught.value.code == ErrorCode.FORBIDDEN
    # and two rows for the same position are refused
    with pytest.raises(ValueError, match="two rows"):
        dataclasses.replace(machine, transitions=(*machine.transitions, clerk))


def test_two_rows_for_one_move_are_refused_when_the_table_is_built() -> None:
    submit = next(t for t in MACHINE.transitions if t.action == subsidy.SUBMIT)
    with pytest.raises(ValueError, match="two rows"):
        dataclasses.replace(MACHINE, transitions=(*MACHINE.transitions, submit))


def test_an_unknown_action_is_a_bug_not_a_refusal() -> None:
    with pytest.raises(KeyError):
        take("subsidy.teleport", Role.CITY, S.DRAFT)


# --- what each transition writes ----------------------------------------------------

FACTS = {
    "project_name": "阳光花园",
    "comment": "面积与备案不符",
    "amount": Decimal("1234.50"),
    "paid_on": date(2020, 2, 20),
}


def row_of(action: str, role: Role) -> Transition:
    return next(t for t in MACHINE.transitions if t.action == action and role in t.roles)


def effects(transition: Transition) -> dict[str, object]:
    facts = {**FACTS, **transition.facts}
    return {
        "closes": transition.closes_todos,
        "notices": [
            (
                n.template,
                n.to,
                n.text.format_map(facts),
                {k: v.format_map(facts) for k, v in n.payload.items()},
            )
            for n in transition.notices
        ],
        "todos": [(t.kind, t.title.format_map(facts), t.role, t.column) for t in transition.opens],
        "note": transition.note.format_map(facts) if transition.note else None,
    }


MANAGER = Phone("manager_phone", also=Accounts(Role.MANAGER, "project_id"))
REVIEW_TEXT = "【物业监管平台】阳光花园的疫情防控补贴申请待您审核，请及时登录系统办理。"


def review_requested(role: Role, column: str, level: str) -> tuple:
    return (
        "subsidy.review_requested",
        Accounts(role, column),
        REVIEW_TEXT,
        {"project": "阳光花园", "level": level},
    )


def test_creating_a_draft_asks_the_manager_to_submit_it() -> None:
    assert effects(row_of(subsidy.CREATE, Role.ENTERPRISE)) == {
        "closes": False,
        "notices": [],
        "todos": [
            ("subsidy.submit", "确认并提交疫情防控补贴申请：阳光花园", Role.MANAGER, "project_id")
        ],
        "note": None,
    }


def test_submitting_and_each_approval_ask_the_next_office() -> None:
    chain = [
        (row_of(subsidy.SUBMIT, Role.MANAGER), Role.COMMUNITY, "community_id", "社区工作站"),
        (row_of(subsidy.APPROVE, Role.COMMUNITY), Role.STREET, "street_id", "街道办"),
        (row_of(subsidy.APPROVE, Role.STREET), Role.DISTRICT, "district_id", "区住建局"),
    ]
    for transition, office, column, level in chain:
        assert effects(transition) == {
            "closes": True,
            "notices": [review_requested(office, column, level)],
            "todos": [("subsidy.review", "审核疫情防控补贴申请：阳光花园", office, column)],
            "note": None,
        }


def test_the_district_approval_tells_the_manager_and_waits_for_the_report() -> None:
    assert effects(row_of(subsidy.APPROVE, Role.DISTRICT)) == {
        "closes": True,
        "notices": [
            (
                "subsidy.approved",
                MANAGER,
                "【物业监管平台】您提交的阳光花园疫情防控补贴申请已通过区住建局审核，"
                "将由区住建局集中报送发放。",
                {"project": "阳光花园", "level": "区住建局"},
            )
        ],
        "todos": [
            ("subsidy.report", "集中报送疫情防控补贴：阳光花园", Role.DISTRICT, "district_id")
        ],
        "note": None,
    }


@pytest.mark.parametrize(
    ("role", "level"),
    [(Role.COMMUNITY, "社区工作站"), (Role.STREET, "街道办"), (Role.DISTRICT, "区住建局")],
)
def test_a_rejection_goes_back_to_the_manager_with_its_reason(role: Role, level: str) -> None:
    assert effects(row_of(subsidy.REJECT, role)) == {
        "closes": True,
        "notices": [
            (
                "subsidy.returned",
                MANAGER,
                f"【物业监管平台】您提交的阳光花园疫情防控补贴申请未通过{level}审核："
                "面积与备案不符。请登录系统修改后重新提交。",
                {"project": "阳光花园", "level": level, "reason": "面积与备案不符"},
            )
        ],
        "todos": [
            (
                "subsidy.submit",
                "修改并重新提交疫情防控补贴申请：阳光花园",
                Role.MANAGER,
                "project_id",
            )
        ],
        "note": None,
    }


def test_reporting_and_paying_note_the_money() -> None:
    assert effects(row_of(subsidy.REPORT, Role.DISTRICT)) == {
        "closes": True,
        "notices": [],
        "todos": [],
        "note": "amount 1234.50",
    }
    assert effects(row_of(subsidy.PAID, Role.DISTRICT)) == {
        "closes": False,
        "notices": [
            (
                "subsidy.paid",
                MANAGER,
                "【物业监管平台】阳光花园的疫情防控补贴1234.50元已于2020-02-20拨付。",
                {"project": "阳光花园", "amount": "1234.50", "paid_on": "2020-02-20"},
            )
        ],
        "todos": [],
        "note": "paid on 2020-02-20",
    }


def test_editing_and_deleting_a_draft_write_only_the_audit_entry() -> None:
    for action in (subsidy.UPDATE, subsidy.DELETE):
        assert effects(row_of(action, Role.ENTERPRISE)) == {
            "closes": False,
            "notices": [],
            "todos": [],
            "note": None,
        }


# --- rules that decide ----------------------------------------------------------------


def validation_field(call: object, *args: object, **kwargs: object) -> str | None:
    with pytest.raises(MutationError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert caught.value.code == ErrorCode.VALIDATION
    return caught.value.field


def test_the_street_must_confirm_a_changed_area_when_approving() -> None:
    changed = {"area": Decimal("90.00"), "recorded_area": Decimal("100.00")}
    assert (
        validation_field(
            subsidy.area_confirmation, role=Role.STREET, approving=True, confirmed=None, **changed
        )
        == "confirmArea"
    )
    assert subsidy.area_confirmation(
        role=Role.STREET, approving=True, confirmed=True, **changed
    ) == {"area_confirmed": True}
    # not the street, not approving, or an unchanged area: nothing to confirm
    assert (
        subsidy.area_confirmation(role=Role.DISTRICT, approving=True, confirmed=None, **changed)
        == {}
    )
    assert (
        subsidy.area_confirmation(role=Role.STREET, approving=False, confirmed=None, **changed)
        == {}
    )
    same = {"area": Decimal("100.00"), "recorded_area": Decimal("100.00")}
    assert subsidy.area_confirmation(role=Role.STREET, approving=True, confirmed=None, **same) == {}


def test_a_batch_names_each_application_once_and_not_too_many() -> None:
    assert validation_field(subsidy.check_batch, []) == "applicationIds"
    assert validation_field(subsidy.check_batch, ["a", "a"]) == "applicationIds"
    too_many = [str(i) for i in range(subsidy.MAX_BATCH + 1)]
    assert validation_field(subsidy.check_batch, too_many) == "applicationIds"
    subsidy.check_batch([str(i) for i in range(subsidy.MAX_BATCH)])


def test_a_payment_date_lies_between_the_report_and_today() -> None:
    reported, today = date(2020, 2, 20), date(2020, 3, 1)
    for paid_on in (date(2020, 2, 19), date(2020, 3, 2)):
        assert (
            validation_field(subsidy.check_paid_on, paid_on, reported_on=reported, today=today)
            == "paidOn"
        )
    for paid_on in (reported, today):
        subsidy.check_paid_on(paid_on, reported_on=reported, today=today)


def test_the_pledge_a_reason_and_evidence_for_a_changed_area_are_required() -> None:
    assert validation_field(subsidy.require_pledge, False) == "acceptPledge"
    assert validation_field(subsidy.require_pledge, None) == "acceptPledge"
    subsidy.require_pledge(True)
    assert validation_field(subsidy.parse_comment, "  ", required=True) == "comment"
    assert subsidy.parse_comment("  ", required=False) is None
    area, recorded = Decimal("90.00"), Decimal("100.00")
    assert validation_field(subsidy.require_evidence, area, recorded, []) == "evidenceIds"
    subsidy.require_evidence(area, recorded, [7])
    subsidy.require_evidence(recorded, recorded, [])


def test_the_window_is_inclusive() -> None:
    opens, closes = date(2020, 2, 16), date(2020, 3, 31)
    for today in (opens, closes):
        subsidy.require_open(opens, closes, today)
    for today in (date(2020, 2, 15), date(2020, 4, 1)):
        with pytest.raises(MutationError) as caught:
            subsidy.require_open(opens, closes, today)
        assert caught.value.code == ErrorCode.INVALID_STATE
