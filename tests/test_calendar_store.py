"""The working calendar as loaded from the database: holidays and make-up Saturdays."""

from __future__ import annotations

from datetime import date

import asyncpg

from api.applications.calendar_store import load_working_calendar


async def test_make_up_saturday_counts_and_swapped_weekday_does_not(
    db: asyncpg.Connection,
) -> None:
    calendar = await load_working_calendar(db)
    # Saturday 22/8/2026 is worked in exchange for Monday 31/8 (before the 2/9 holidays).
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))
    # Received Thursday 20/8: Friday 21, Saturday 22 (make-up) and Monday 24 are the 3 days.
    assert calendar.due_date(date(2026, 8, 20), 3) == date(2026, 8, 24)
    # Received Friday 28/8, 2 working days: Tuesday 1/9 and Wednesday 2/9 are holidays.
    assert calendar.due_date(date(2026, 8, 28), 2) == date(2026, 9, 4)


async def test_every_make_up_saturday_replaces_a_listed_holiday(db: asyncpg.Connection) -> None:
    rows = await db.fetch(
        "SELECT w.day, h.day AS replaced FROM working_weekend_days w"
        " LEFT JOIN public_holidays h ON h.day = w.replaces"
    )
    assert rows and all(row["replaced"] is not None for row in rows)
    assert all(row["day"].weekday() == 5 for row in rows)
