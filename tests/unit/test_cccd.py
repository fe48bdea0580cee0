"""The CCCD consistency rule: 4th digit = century and gender, 5th–6th = birth year."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.accounts.cccd import Gender, cccd_consistency_errors, century_gender_digit


@pytest.mark.parametrize(
    ("year", "gender", "digit"),
    [
        (1900, "male", 0),
        (1999, "female", 1),
        (2000, "male", 2),
        (2099, "female", 3),
        (2100, "male", 4),
        (2399, "female", 9),
    ],
)
def test_century_gender_digit(year: int, gender: Gender, digit: int) -> None:
    assert century_gender_digit(year, gender) == digit


@pytest.mark.parametrize("year", [1899, 1000, 2400])
def test_years_outside_the_scheme_have_no_digit(year: int) -> None:
    assert century_gender_digit(year, "male") is None


def test_consistent_numbers_pass() -> None:
    assert cccd_consistency_errors("001090123456", date(1990, 5, 17), "male") == []
    assert cccd_consistency_errors("079185000001", date(1985, 1, 1), "female") == []
    assert cccd_consistency_errors("001205000001", date(2005, 12, 31), "male") == []
    assert cccd_consistency_errors("001300000001", date(2000, 2, 29), "female") == []


def test_gender_that_disagrees_with_the_fourth_digit() -> None:
    assert cccd_consistency_errors("001090123456", date(1990, 5, 17), "female") == [
        "gender_century_mismatch"
    ]


def test_century_that_disagrees_with_the_fourth_digit() -> None:
    # Born 2090 would be '2'; '0' means the 1900s.
    assert cccd_consistency_errors("001090123456", date(2090, 5, 17), "male") == [
        "gender_century_mismatch"
    ]


def test_birth_year_digits_that_disagree() -> None:
    assert cccd_consistency_errors("001091123456", date(1990, 5, 17), "male") == [
        "birth_year_mismatch"
    ]


def test_both_mismatches_are_reported_together() -> None:
    assert cccd_consistency_errors("001391123456", date(1990, 5, 17), "male") == [
        "gender_century_mismatch",
        "birth_year_mismatch",
    ]


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    gender=st.sampled_from(["male", "female"]),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_a_number_built_from_birth_and_gender_is_consistent(
    birth: date, gender: Gender, serial: int
) -> None:
    digit = century_gender_digit(birth.year, gender)
    cccd = f"001{digit}{birth.year % 100:02d}{serial:06d}"
    assert cccd_consistency_errors(cccd, birth, gender) == []
    other: Gender = "female" if gender == "male" else "male"
    assert cccd_consistency_errors(cccd, birth, other) == ["gender_century_mismatch"]
