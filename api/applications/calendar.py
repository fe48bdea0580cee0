"""Working-day arithmetic for processing-time limits (thời hạn giải quyết).

A working day is Monday to Friday that is not a public holiday (the ``public_holidays`` table),
plus any Saturday or Sunday that the Government made a working day by swapping it with a weekday
(``working_weekend_days``). Processing time counts from the first working day strictly after the
day of receipt: one working day received on Monday is due on Tuesday, received on Friday (or
Saturday) it is due on Monday.

Everything here is pure: the caller loads the holidays once and builds a :class:`WorkingCalendar`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

__all__ = ["WorkingCalendar"]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


def _weekdays_through(day: date) -> int:
    """How many Mondays-to-Fridays there are from 0001-01-01 (a Monday) up to ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


class WorkingCalendar:
    """Working days given a set of public holidays.

    ``holidays`` may include weekend days (they change nothing). ``working_weekend_days`` lists
    Saturdays/Sundays made working days by a swap (e.g. 2026-01-10 for 2026-01-02); a day that is
    in both sets is a holiday.
    """

    __slots__ = ("_extra_sorted", "_holidays_sorted", "holidays", "working_weekend_days")

    holidays: frozenset[date]
    working_weekend_days: frozenset[date]

    def __init__(
        self, holidays: Iterable[date] = (), *, working_weekend_days: Iterable[date] = ()
    ) -> None:
        self.holidays = frozenset(holidays)
        self.working_weekend_days = frozenset(
            d for d in working_weekend_days if d.weekday() >= _SATURDAY and d not in self.holidays
        )
        # Sorted views for counting over long ranges without walking day by day.
        self._holidays_sorted = tuple(sorted(d for d in self.holidays if d.weekday() < _SATURDAY))
        self._extra_sorted = tuple(sorted(self.working_weekend_days))

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar({len(self.holidays)} holidays, "
            f"{len(self.working_weekend_days)} working weekend days)"
        )

    def is_working_day(self, d: date) -> bool:
        if d in self.holidays:
            return False
        if d.weekday() >= _SATURDAY:
            return d in self.working_weekend_days
        return True

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        d -= _ONE_DAY
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def due_date(self, received_on: date, working_days: int) -> date:
        """The last day of a limit of ``working_days`` counted from the day after receipt.

        Day 1 is the first working day strictly after ``received_on``; the result is the
        ``working_days``-th working day, so it is always a working day. A limit of 0 (on-the-spot
        procedures) is due on the day of receipt itself.
        """
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        return self.add_working_days(received_on, working_days)

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in the half-open interval (start, end]; 0 if end <= start."""
        if end <= start:
            return 0
        count = _weekdays_through(end) - _weekdays_through(start)
        count -= bisect_right(self._holidays_sorted, end) - bisect_right(
            self._holidays_sorted, start
        )
        count += bisect_right(self._extra_sorted, end) - bisect_right(self._extra_sorted, start)
        return count

    def add_working_days(self, d: date, n: int) -> date:
        """Move ``d`` by ``n`` working days (backwards when ``n`` is negative).

        For n > 0 the result is the n-th working day strictly after ``d``; for n < 0 the |n|-th
        working day strictly before it; for n == 0, ``d`` unchanged. Used when the clock resumes
        after a pause: the due date moves by the number of working days the clock was stopped.
        """
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def due_date_after_pause(self, due: date, paused_on: date, resumed_on: date) -> date:
        """Shift ``due`` by the working days in (paused_on, resumed_on] the clock was stopped.

        The day the clock stops (e.g. a request for more documents) still counts; the day it
        resumes does not, so a pause from Monday to Wednesday of the same week adds 2 days.
        """
        return self.add_working_days(due, self.working_days_between(paused_on, resumed_on))

    def working_days_left(self, today: date, due: date) -> int:
        """Working days from ``today`` until ``due``: positive before, 0 on the due date itself,
        negative once ``today`` is past ``due`` (at least -1 even if only a weekend has passed).
        """
        if today <= due:
            return self.working_days_between(today, due)
        return -max(1, self.working_days_between(due, today))
