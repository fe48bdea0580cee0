"""Status names and the statistics period's field problems come from the catalogue."""

from __future__ import annotations

from datetime import date

import pytest

from api.applications.state_machine import STATUSES
from api.core.problems import Problem
from api.messages import catalogue
from api.tracking.labels import status_message
from api.tracking.service import stats_period


def test_every_status_has_a_public_name() -> None:
    assert [status for status in STATUSES if f"statuses.{status}" not in catalogue()] == []


def test_a_status_is_named_in_either_language() -> None:
    label = status_message("supplement_requested")
    assert label.render("vi") == "Chờ bổ sung hồ sơ"
    assert label.render("en") == "Awaiting supplementary documents"


@pytest.mark.parametrize("status", ["archived", "unlisted"])
def test_an_unknown_status_is_shown_as_itself(status: str) -> None:
    label = status_message(status)
    assert (label.render("vi"), label.render("en")) == (status, status)


def test_a_date_out_of_range_names_the_bounds_in_each_language_s_format() -> None:
    with pytest.raises(Problem) as raised:
        stats_period(date(1999, 12, 31), None, date(2026, 1, 1))
    [error] = raised.value.errors
    assert (error.path, error.code) == ("from", "out_of_range")
    assert error.text("vi") == "Ngày phải từ 01/01/2000 đến 31/12/2099"
    assert error.text("en") == "The date must be between 2000-01-01 and 2099-12-31"


def test_a_period_too_long_names_the_limit() -> None:
    with pytest.raises(Problem) as raised:
        stats_period(date(2025, 1, 1), date(2026, 1, 2), date(2026, 1, 2))
    [error] = raised.value.errors
    assert error.code == "period_too_long"
    assert error.text("vi") == "Khoảng thời gian tối đa là 366 ngày"
    assert error.text("en") == "The period may span at most 366 days"
