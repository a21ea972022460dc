"""Time as the city keeps it. All time rules read one injectable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

# China Standard Time has had no daylight saving since 1991: a fixed offset
# avoids depending on the system's tz database.
CITY_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(CITY_TZ).date()
