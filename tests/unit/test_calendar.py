"""Working-day arithmetic, checked against the holidays shipped in migrations/0006_holidays.sql."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.applications.calendar import WorkingCalendar
from api.core.clock import VN_TZ, vn_today

SQL = Path(__file__).resolve().parents[2] / "migrations" / "0006_holidays.sql"
_ROW = re.compile(r"^\('(\d{4}-\d{2}-\d{2})',", re.MULTILINE)

HOLIDAYS = frozenset(date.fromisoformat(m) for m in _ROW.findall(SQL.read_text("utf-8")))
CAL = WorkingCalendar(HOLIDAYS)
# Saturdays made working days by the 2025-2026 swaps (not stored in public_holidays).
SWAPPED_SATURDAYS = (date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22))
CAL_WITH_SWAPS = WorkingCalendar(HOLIDAYS, working_weekend_days=SWAPPED_SATURDAYS)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_holidays_loaded() -> None:
    assert len(HOLIDAYS) > 40
    assert d("2026-02-17") in HOLIDAYS


def test_plain_weeks() -> None:
    assert CAL.due_date(d("2026-03-02"), 1) == d("2026-03-03")  # Monday -> Tuesday
    assert CAL.due_date(d("2026-03-06"), 1) == d("2026-03-09")  # Friday -> Monday
    # Day 1 is the first working day strictly after receipt, also for weekend receipts.
    assert CAL.due_date(d("2026-03-07"), 1) == d("2026-03-09")  # Saturday -> Monday
    assert CAL.due_date(d("2026-03-08"), 1) == d("2026-03-09")  # Sunday -> Monday
    assert CAL.due_date(d("2026-03-02"), 5) == d("2026-03-09")
    assert CAL.due_date(d("2026-03-02"), 0) == d("2026-03-02")
    with pytest.raises(ValueError):
        CAL.due_date(d("2026-03-02"), -1)


def test_is_working_day() -> None:
    assert CAL.is_working_day(d("2026-03-02"))
    assert not CAL.is_working_day(d("2026-03-07"))  # Saturday
    assert not CAL.is_working_day(d("2026-02-18"))  # Tết
    assert not CAL.is_working_day(d("2026-04-27"))  # compensatory day for Hùng Kings (Sunday)
    assert not CAL.is_working_day(d("2027-05-03"))  # compensatory day for 1/5/2027 (Saturday)
    assert not CAL.is_working_day(d("2026-08-22"))
    assert CAL_WITH_SWAPS.is_working_day(d("2026-08-22"))
    # A weekday cannot be made a "working weekend day", and a holiday wins over a swap.
    odd = WorkingCalendar(
        [d("2026-08-22")], working_weekend_days=[d("2026-08-22"), d("2026-08-24")]
    )
    assert not odd.is_working_day(d("2026-08-22"))
    assert odd.working_weekend_days == frozenset()


def test_next_and_previous_working_day() -> None:
    assert CAL.next_working_day(d("2026-02-13")) == d("2026-02-23")
    assert CAL.next_working_day(d("2026-02-12")) == d("2026-02-13")
    assert CAL.previous_working_day(d("2026-02-23")) == d("2026-02-13")


def test_deadline_across_tet_2026_and_weekend() -> None:
    # Received Thursday 12/2/2026: Fri 13/2 is day 1, 14/2-22/2 is the Tết break,
    # then Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert CAL.due_date(d("2026-02-12"), 5) == d("2026-02-26")
    assert CAL.due_date(d("2026-02-13"), 1) == d("2026-02-23")
    assert CAL.working_days_between(d("2026-02-12"), d("2026-02-26")) == 5
    # Tết 2025 (25/1-2/2) and Tết 2027 (4/2-10/2).
    assert CAL.due_date(d("2025-01-24"), 1) == d("2025-02-03")
    assert CAL.due_date(d("2027-02-03"), 1) == d("2027-02-11")


def test_deadline_across_30_4_and_1_5() -> None:
    # 2026: Thu 30/4 and Fri 1/5 off, then the weekend.
    assert CAL.due_date(d("2026-04-29"), 3) == d("2026-05-06")
    # Received Fri 24/4/2026: Mon 27/4 is the compensatory day for Hùng Kings (Sun 26/4).
    assert CAL.due_date(d("2026-04-24"), 3) == d("2026-05-04")
    # 2025: 30/4, 1/5 and the swapped Friday 2/5 are off.
    assert CAL.due_date(d("2025-04-29"), 1) == d("2025-05-05")
    # 2027: 1/5 is a Saturday, compensated on Monday 3/5.
    assert CAL.due_date(d("2027-04-29"), 1) == d("2027-05-04")


def test_deadline_across_national_day() -> None:
    # 2025: Mon 1/9 and Tue 2/9.
    assert CAL.due_date(d("2025-08-29"), 1) == d("2025-09-03")
    # 2026: Mon 31/8 (swapped with Sat 22/8), Tue 1/9, Wed 2/9.
    assert CAL.due_date(d("2026-08-28"), 2) == d("2026-09-04")
    # 2027: Thu 2/9 and Fri 3/9.
    assert CAL.due_date(d("2027-09-01"), 1) == d("2027-09-06")


def test_swapped_saturday_counts_when_known() -> None:
    # Received Fri 21/8/2026; with the swap, Saturday 22/8 is a working day.
    assert CAL.due_date(d("2026-08-21"), 1) == d("2026-08-24")
    assert CAL_WITH_SWAPS.due_date(d("2026-08-21"), 1) == d("2026-08-22")
    assert CAL_WITH_SWAPS.working_days_between(d("2026-08-21"), d("2026-08-24")) == 2
    assert CAL.working_days_between(d("2026-08-21"), d("2026-08-24")) == 1


def test_working_days_between() -> None:
    assert CAL.working_days_between(d("2026-03-02"), d("2026-03-02")) == 0
    assert CAL.working_days_between(d("2026-03-09"), d("2026-03-02")) == 0
    assert CAL.working_days_between(d("2026-03-02"), d("2026-03-09")) == 5
    assert CAL.working_days_between(d("2026-03-06"), d("2026-03-08")) == 0
    # The whole of 2026: 261 weekdays, 14 of them holidays.
    assert CAL.working_days_between(d("2025-12-31"), d("2026-12-31")) == 261 - 14


def test_pause_and_resume_shift_the_due_date() -> None:
    received = d("2026-03-02")
    due = CAL.due_date(received, 10)
    assert due == d("2026-03-16")
    # Clock stopped on Wed 4/3 (request for more documents) and resumed on Tue 10/3:
    # Thu 5, Fri 6, Mon 9, Tue 10 -> 4 working days paused.
    paused = CAL.working_days_between(d("2026-03-04"), d("2026-03-10"))
    assert paused == 4
    assert CAL.add_working_days(due, paused) == d("2026-03-20")
    assert CAL.due_date_after_pause(due, d("2026-03-04"), d("2026-03-10")) == d("2026-03-20")
    # A shift that lands across the 30/4-1/5 holidays.
    assert CAL.add_working_days(d("2026-04-29"), 1) == d("2026-05-04")
    # A pause that spans Tết only counts the working days in it.
    assert CAL.working_days_between(d("2026-02-12"), d("2026-02-24")) == 3
    assert CAL.add_working_days(d("2026-03-05"), 0) == d("2026-03-05")
    assert CAL.add_working_days(d("2026-05-04"), -1) == d("2026-04-29")


def test_working_days_left() -> None:
    due = d("2026-03-13")  # Friday
    assert CAL.working_days_left(d("2026-03-09"), due) == 4
    assert CAL.working_days_left(d("2026-03-12"), due) == 1
    assert CAL.working_days_left(due, due) == 0
    assert CAL.working_days_left(d("2026-03-14"), due) == -1  # Saturday: already overdue
    assert CAL.working_days_left(d("2026-03-16"), due) == -1
    assert CAL.working_days_left(d("2026-03-17"), due) == -2
    # Across Tết: due Mon 23/2/2026, seen on Fri 13/2 -> 1 working day left.
    assert CAL.working_days_left(d("2026-02-13"), d("2026-02-23")) == 1


def test_vn_today() -> None:
    assert vn_today(datetime(2026, 1, 1, 16, 59, tzinfo=UTC)) == d("2026-01-01")
    assert vn_today(datetime(2026, 1, 1, 17, 0, tzinfo=UTC)) == d("2026-01-02")
    assert vn_today(datetime(2026, 1, 2, 0, 30, tzinfo=VN_TZ)) == d("2026-01-02")
    assert VN_TZ.utcoffset(datetime(2026, 6, 1)) == timedelta(hours=7)
    with pytest.raises(ValueError):
        vn_today(datetime(2026, 1, 1, 12, 0))
    assert abs((vn_today() - datetime.now(UTC).date()).days) <= 1


received_dates = st.dates(min_value=date(2024, 12, 1), max_value=date(2028, 1, 31))
limits = st.integers(min_value=1, max_value=150)
random_holidays = st.frozensets(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31)), max_size=40
)


@given(received=received_dates, n=limits)
def test_due_date_is_a_working_day(received: date, n: int) -> None:
    due = CAL.due_date(received, n)
    assert CAL.is_working_day(due)
    assert due > received


@given(received=received_dates, n=limits)
def test_working_days_between_inverts_due_date(received: date, n: int) -> None:
    due = CAL.due_date(received, n)
    assert CAL.working_days_between(received, due) == n
    # It is the earliest such day: the previous working day is one short.
    assert CAL.working_days_between(received, CAL.previous_working_day(due)) == n - 1


@given(received=received_dates, n=limits)
def test_properties_with_swapped_saturdays(received: date, n: int) -> None:
    due = CAL_WITH_SWAPS.due_date(received, n)
    assert CAL_WITH_SWAPS.is_working_day(due)
    assert CAL_WITH_SWAPS.working_days_between(received, due) == n


@settings(max_examples=200)
@given(
    holidays=random_holidays,
    swaps=st.frozensets(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31))),
    start=st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 4, 30)),
    span=st.integers(min_value=-5, max_value=120),
)
def test_between_matches_day_by_day_count(
    holidays: frozenset[date], swaps: frozenset[date], start: date, span: int
) -> None:
    cal = WorkingCalendar(holidays, working_weekend_days=swaps)
    end = start + timedelta(days=span)
    expected = sum(1 for k in range(1, span + 1) if cal.is_working_day(start + timedelta(days=k)))
    assert cal.working_days_between(start, end) == expected


@given(day=received_dates, n=st.integers(min_value=-60, max_value=60))
def test_add_working_days_round_trip(day: date, n: int) -> None:
    start = day if CAL.is_working_day(day) else CAL.next_working_day(day)
    moved = CAL.add_working_days(start, n)
    assert CAL.add_working_days(moved, -n) == start
    if n >= 0:
        assert CAL.working_days_between(start, moved) == n
    else:
        assert CAL.working_days_between(moved, start) == -n


@given(today=received_dates, received=received_dates, n=limits)
def test_working_days_left_sign(today: date, received: date, n: int) -> None:
    due = CAL.due_date(received, n)
    left = CAL.working_days_left(today, due)
    if today > due:
        assert left < 0
    else:
        assert left >= 0
        assert left == CAL.working_days_between(today, due)
