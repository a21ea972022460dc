"""The meetings table (workflows/meetings.py) and its clock, without a database.

``EXPECTED`` is written here by hand from SPEC 3.2: a row added to, dropped
from or changed in ``MACHINE`` fails a test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from propgraph.models import MeetingStatus as M
from propgraph.models import Role
from propgraph.workflows import meetings
from propgraph.workflows.errors import ErrorCode, MutationError

EXPECTED = {
    (meetings.OPEN, Role.STREET, None): M.PUBLICITY,
    (meetings.OPEN, Role.COMMUNITY, None): M.PUBLICITY,
    (meetings.CANCEL, Role.STREET, M.PUBLICITY): M.CANCELLED,
    (meetings.CANCEL, Role.COMMUNITY, M.PUBLICITY): M.CANCELLED,
}


def take(action: str, role: Role, status: M | None) -> M:
    version = None if status is None else 2
    return meetings.MACHINE.transition(
        action,
        role=role,
        position="HEAD" if role != Role.OWNER else None,
        status=status,
        version=version,
        expected_version=version,
    ).target  # type: ignore[return-value]


@pytest.mark.parametrize("action", [meetings.OPEN, meetings.CANCEL])
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", [None, *M])
def test_every_move_allowed_and_no_other(action: str, role: Role, status: M | None) -> None:
    expected = EXPECTED.get((action, role, status))
    if expected is not None:
        assert take(action, role, status) == expected
    else:
        with pytest.raises(MutationError) as refused:
            take(action, role, status)
        assert refused.value.code in (ErrorCode.FORBIDDEN, ErrorCode.INVALID_STATE)


T0 = datetime(2020, 4, 10, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=10)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (T0 - timedelta(seconds=1), M.PUBLICITY),
        (T0, M.VOTING),  # voting opens at its first instant
        (T1 - timedelta(seconds=1), M.VOTING),
        (T1, M.CLOSED),  # and is over at its last
    ],
)
def test_the_clock_moves_a_meeting_on(now: datetime, expected: M) -> None:
    assert meetings.status_at(M.PUBLICITY, T0, T1, now) == expected


def test_a_cancelled_meeting_stays_cancelled() -> None:
    assert meetings.status_at(M.CANCELLED, T0, T1, T1 + timedelta(days=1)) == M.CANCELLED
