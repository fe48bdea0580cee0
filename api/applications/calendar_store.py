"""Loading the working calendar from the database: public holidays and make-up Saturdays.

Both tables are small; reading them per request keeps every process in step with migrations.
"""

from __future__ import annotations

import asyncpg

from api.applications.calendar import WorkingCalendar

_CALENDAR_DAYS = """
SELECT day, false AS working FROM public_holidays
UNION ALL
SELECT day, true AS working FROM working_weekend_days
"""


async def load_working_calendar(conn: asyncpg.Connection) -> WorkingCalendar:
    rows = await conn.fetch(_CALENDAR_DAYS)
    return WorkingCalendar(
        (row["day"] for row in rows if not row["working"]),
        working_weekend_days=(row["day"] for row in rows if row["working"]),
    )
