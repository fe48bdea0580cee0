"""Loading the working calendar from the database: public holidays and make-up Saturdays.

Both tables change only with a migration, which a release applies before it serves. Each
process therefore reads them at most once a minute (``working_calendar``) instead of on every
submit, move and tracking look-up; a release that adds holidays is in step within a minute.
"""

from __future__ import annotations

import asyncpg

from api.applications.calendar import WorkingCalendar
from api.core.caching import Remembered

_CALENDAR_DAYS = """
SELECT day, false AS working FROM public_holidays
UNION ALL
SELECT day, true AS working FROM working_weekend_days
"""

CALENDAR_SECONDS = 60.0
_recent: Remembered[str, WorkingCalendar] = Remembered(CALENDAR_SECONDS, max_entries=1)


async def load_working_calendar(conn: asyncpg.Connection) -> WorkingCalendar:
    """The calendar as the database holds it now."""
    rows = await conn.fetch(_CALENDAR_DAYS)
    return WorkingCalendar(
        (row["day"] for row in rows if not row["working"]),
        working_weekend_days=(row["day"] for row in rows if row["working"]),
    )


async def working_calendar(conn: asyncpg.Connection) -> WorkingCalendar:
    """The calendar as this process read it within the last minute."""
    calendar = _recent.get("calendar")
    if calendar is None:
        calendar = await load_working_calendar(conn)
        _recent.put("calendar", calendar)
    return calendar
