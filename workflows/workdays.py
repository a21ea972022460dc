"""Working days by the official PRC calendar (国务院办公厅 holiday notices).

The calendar comes from the maintained ``chinesecalendar`` package (import
``chinese_calendar``): public holidays, and the weekend days that are
make-up working days (调休). Its data covers the years it ships (2004–2026 in
1.11.0); the State Council publishes each year's calendar in November or
December of the year before, so a newer release is expected every year.
For a day outside the covered years we fall back to Monday–Friday and log a
warning once per year: counting plain weekdays is what a clerk does before
the notice is out, and it is wrong only on that year's holidays.
"""

from __future__ import annotations

import enum
import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

log = logging.getLogger("propgraph.workdays")

NORMAL_MAX = 5  # at most 5 working days: on time
OVERDUE_MAX = 9  # 6–9: overdue; 10 or more: severely overdue


class Timeliness(enum.StrEnum):
    NORMAL = "NORMAL"
    OVERDUE = "OVERDUE"
    SEVERELY_OVERDUE = "SEVERELY_OVERDUE"


BANDS: dict[Timeliness, tuple[int, int | None]] = {
    Timeliness.NORMAL: (0, NORMAL_MAX),
    Timeliness.OVERDUE: (NORMAL_MAX + 1, OVERDUE_MAX),
    Timeliness.SEVERELY_OVERDUE: (OVERDUE_MAX + 1, None),
}


@lru_cache(maxsize=8)
def _warn_uncovered(year: int) -> None:
    log.warning(
        "the PRC holiday calendar has no data for %s; counting Monday to Friday as working days",
        year,
    )


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """An official working day: not a public holiday, and a weekday or a make-up day."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the library's data does not cover
        _warn_uncovered(day.year)
        return day.weekday() < 5


def working_days(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 for the same day).

    A filing made on a Friday and decided on the Monday took 1 working day.
    """
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def timeliness(days: int) -> Timeliness:
    if days <= NORMAL_MAX:
        return Timeliness.NORMAL
    if days <= OVERDUE_MAX:
        return Timeliness.OVERDUE
    return Timeliness.SEVERELY_OVERDUE


def filed_between(band: Timeliness, today: date) -> tuple[date | None, date | None]:
    """The filing dates (earliest, latest; None: unbounded) whose age today is in ``band``.

    Age is non-increasing in the filing date, so each band is one range of
    dates: a filter on an undecided filing's ``filed_on`` in SQL.
    """
    low, high = BANDS[band]
    latest: date | None = None
    earliest: date | None = None
    day = today
    # Walk back until the age passes the band; at most ~a month for 10 working days.
    while True:
        age = working_days(day, today)
        if latest is None and age >= low:
            latest = day
        if high is not None and age > high:
            earliest = day + timedelta(days=1)
            break
        if high is None and latest is not None:
            break
        day -= timedelta(days=1)
    return earliest, latest
