"""Sanity checks on the holiday rows in migrations/0006_holidays.sql."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

SQL = Path(__file__).resolve().parents[2] / "migrations" / "0006_holidays.sql"
_ROW = re.compile(r"^\('(\d{4}-\d{2}-\d{2})',", re.MULTILINE)

# Mùng 1 Tết and 10/3 lunar (Giỗ Tổ Hùng Vương) in the Vietnamese lunar calendar.
LUNAR_NEW_YEAR = {2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6)}
HUNG_KINGS = {2025: date(2025, 4, 7), 2026: date(2026, 4, 26), 2027: date(2027, 4, 16)}
YEARS = (2025, 2026, 2027)


def _rows() -> list[date]:
    return [date.fromisoformat(text) for text in _ROW.findall(SQL.read_text("utf-8"))]


DAYS = frozenset(_rows())


def _weekday_off(day: date) -> bool:
    return day in DAYS and day.weekday() < 5


def test_rows_are_parsed_and_unique() -> None:
    rows = _rows()
    assert len(rows) > 40
    duplicates = [day for day, count in Counter(rows).items() if count > 1]
    assert duplicates == []
    assert {day.year for day in rows} == set(YEARS)


def test_every_row_has_two_names() -> None:
    text = SQL.read_text("utf-8")
    body = text[text.index("VALUES") :]
    # Each row: ('YYYY-MM-DD', 'name vi', 'name en') possibly wrapped over two lines.
    rows = re.findall(r"\('(\d{4}-\d{2}-\d{2})',\s*'((?:[^']|'')+)',\s*'((?:[^']|'')+)'\)", body)
    assert len(rows) == len(_rows())
    assert "ON CONFLICT (day) DO NOTHING;" in text
    assert "CREATE TABLE" not in text


@pytest.mark.parametrize("year", YEARS)
def test_fixed_holidays(year: int) -> None:
    for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
        assert date(year, month, day) in DAYS, f"{year}-{month:02}-{day:02} missing"


@pytest.mark.parametrize("year", YEARS)
def test_national_day_has_an_adjacent_day(year: int) -> None:
    assert date(year, 9, 1) in DAYS or date(year, 9, 3) in DAYS


@pytest.mark.parametrize("year", YEARS)
def test_hung_kings(year: int) -> None:
    hung = HUNG_KINGS[year]
    assert hung in DAYS
    if hung.weekday() >= 5:  # compensated on the next working day (Art. 112(3))
        assert date.fromordinal(hung.toordinal() + (7 - hung.weekday())) in DAYS


@pytest.mark.parametrize("year", YEARS)
def test_tet_has_at_least_five_working_days_off(year: int) -> None:
    new_year = LUNAR_NEW_YEAR[year]
    assert new_year in DAYS
    window = [date.fromordinal(new_year.toordinal() + k) for k in range(-10, 11)]
    assert sum(_weekday_off(day) for day in window) >= 5


def test_weekend_holidays_are_compensated() -> None:
    # 26/4/2026 (Sunday, Hùng Kings) -> Monday 27/4; 1/5/2027 (Saturday) -> Monday 3/5.
    assert date(2026, 4, 27) in DAYS
    assert date(2027, 5, 3) in DAYS
