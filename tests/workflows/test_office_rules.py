"""Office work's tables and rules without a database: windows, scores, working days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from propgraph.models import EvaluationStatus as E
from propgraph.models import Half, Position, Role
from propgraph.models import TenderStatus as T
from propgraph.workflows import evaluation, tender, workdays
from propgraph.workflows.errors import ErrorCode, MutationError

POSITIONS = (None, Position.HEAD, Position.CLERK)

# (machine, action, role, position, from) → to: every move SPEC 3.3 allows, and no other.
EXPECTED = {
    ("evaluation", evaluation.SCORE, Role.COMMUNITY, None): E.SCORED,
    ("evaluation", evaluation.RESCORE, Role.COMMUNITY, E.SCORED): E.SCORED,
    ("evaluation", evaluation.APPROVE, Role.STREET, E.SCORED): E.APPROVED,
    ("tender", tender.FILE, Role.ENTERPRISE, None): T.FILED,
    ("tender", tender.FILE, Role.MANAGER, None): T.FILED,
    ("tender", tender.REFILE, Role.ENTERPRISE, T.REJECTED): T.FILED,
    ("tender", tender.REFILE, Role.MANAGER, T.REJECTED): T.FILED,
    ("tender", tender.OPINION, Role.STREET, T.FILED): T.CLERK_REVIEWED,
    ("tender", tender.APPROVE, Role.STREET, T.CLERK_REVIEWED): T.APPROVED,
    ("tender", tender.REJECT, Role.STREET, T.CLERK_REVIEWED): T.REJECTED,
    ("tender", tender.RETURN, Role.STREET, T.CLERK_REVIEWED): T.FILED,
}
POSITION_OF = {
    evaluation.APPROVE: Position.CLERK,
    tender.OPINION: Position.CLERK,
    tender.APPROVE: Position.HEAD,
    tender.REJECT: Position.HEAD,
    tender.RETURN: Position.HEAD,
}
MACHINES = {"evaluation": (evaluation.MACHINE, E), "tender": (tender.MACHINE, T)}


def cases() -> list[tuple]:
    out = []
    for name, (machine, statuses) in MACHINES.items():
        actions = sorted({t.action for t in machine.transitions})
        for action in actions:
            for role in Role:
                for status in (None, *statuses):
                    for position in POSITIONS:
                        out.append((name, action, role, status, position))
    return out


@pytest.mark.parametrize(("name", "action", "role", "status", "position"), cases())
def test_every_move_allowed_and_every_other_refused(
    name: str, action: str, role: Role, status: str | None, position: str | None
) -> None:
    machine, _ = MACHINES[name]
    expected = EXPECTED.get((name, action, role, status))
    needed = POSITION_OF.get(action)
    version = None if status is None else 3
    call = dict(
        role=role, position=position, status=status, version=version, expected_version=version
    )
    if expected is not None and (needed is None or position == needed):
        assert machine.transition(action, **call).target == expected
    else:
        with pytest.raises(MutationError):
            machine.transition(action, **call)


def test_a_stale_version_is_a_conflict_first() -> None:
    with pytest.raises(MutationError) as error:
        tender.MACHINE.transition(
            tender.APPROVE,
            role=Role.OWNER,
            position=None,
            status=T.FILED,
            version=3,
            expected_version=2,
        )
    assert error.value.code == ErrorCode.CONFLICT


@pytest.mark.parametrize(
    ("day", "half", "inside"),
    [
        (date(2026, 5, 31), Half.H1, False),
        (date(2026, 6, 1), Half.H1, True),
        (date(2026, 6, 30), Half.H1, True),
        (date(2026, 7, 1), Half.H1, False),
        (date(2026, 11, 30), Half.H2, False),
        (date(2026, 12, 1), Half.H2, True),
        (date(2026, 12, 30), Half.H2, True),
        (date(2026, 12, 31), Half.H2, False),
    ],
)
def test_windows(day: date, half: Half, inside: bool) -> None:
    if inside:
        evaluation.require_window(2026, half, day)
    else:
        with pytest.raises(MutationError):
            evaluation.require_window(2026, half, day)


def test_half_scores_and_the_annual_mean() -> None:
    june, july = date(2026, 6, 15), date(2026, 7, 1)
    assert evaluation.half_score(2026, Half.H1, E.SCORED, Decimal(70), june) is None
    assert evaluation.half_score(2026, Half.H1, E.SCORED, Decimal(70), july) == 100
    assert evaluation.half_score(2026, Half.H1, None, None, july) == 100
    assert evaluation.half_score(2026, Half.H1, E.APPROVED, Decimal("85.5"), june) == Decimal(
        "85.5"
    )
    assert evaluation.annual(Decimal("85.5"), Decimal(100)) == Decimal("92.75")
    assert evaluation.annual(Decimal(90), None) is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (100, True), (99.9, True), (99.95, False), (-1, False), (101, False)],
)
def test_scores(value: float, ok: bool) -> None:
    if ok:
        assert evaluation.parse_score(value) == Decimal(str(value)).quantize(Decimal("0.1"))
    else:
        with pytest.raises(MutationError):
            evaluation.parse_score(value)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # Spring Festival 2026: 15–23 February off; Saturdays 14 and 28 February are worked
        (date(2026, 2, 13), date(2026, 2, 14), 1),
        (date(2026, 2, 13), date(2026, 2, 24), 2),
        (date(2026, 2, 13), date(2026, 2, 28), 6),
        # National Day 2025: 1–8 October off; Sunday 28 Sep and Saturday 11 Oct worked
        (date(2025, 9, 26), date(2025, 9, 28), 1),
        (date(2025, 9, 30), date(2025, 10, 9), 1),
        (date(2025, 9, 30), date(2025, 10, 11), 3),
        # an ordinary week
        (date(2026, 11, 20), date(2026, 11, 27), 5),
        (date(2026, 11, 20), date(2026, 11, 20), 0),
    ],
)
def test_working_days_by_the_official_calendar(start: date, end: date, days: int) -> None:
    assert workdays.working_days(start, end) == days


def test_a_year_the_calendar_does_not_cover_counts_weekdays() -> None:
    # Friday 31 December 2100 → Monday 3 January 2101: one weekday (no data for those years)
    assert workdays.working_days(date(2100, 12, 31), date(2101, 1, 3)) == 1


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, "NORMAL"), (5, "NORMAL"), (6, "OVERDUE"), (9, "OVERDUE"), (10, "SEVERELY_OVERDUE")],
)
def test_timeliness_bands(days: int, band: str) -> None:
    assert workdays.timeliness(days) == band


def test_filing_date_ranges_agree_with_the_count() -> None:
    today = date(2026, 10, 12)  # just after National Day 2026
    for band in workdays.Timeliness:
        earliest, latest = workdays.filed_between(band, today)
        day = date(2026, 8, 1)
        while day <= today:
            inside = (earliest is None or day >= earliest) and (latest is None or day <= latest)
            assert inside == (workdays.timeliness(workdays.working_days(day, today)) == band), day
            day = date.fromordinal(day.toordinal() + 1)
