"""Whether a 12-digit citizen identity number (CCCD) agrees with its holder's birth and gender.

Since 2016 the digits after the 3-digit province of birth encode the holder: the 4th digit is
the century-and-gender code (Circular 07/2016/TT-BCA, Article 7) — 0/1 male/female born in
the 20th century (1900–1999), 2/3 in the 21st (2000–2099), 4/5 in the 22nd, and so on — and
the 5th–6th digits are the last two digits of the birth year. The well-formedness of the
number itself (length, digits, province code) is checked by ``api.accounts.identity``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

Gender = Literal["male", "female"]
CccdMismatch = Literal["gender_century_mismatch", "birth_year_mismatch"]

_FIRST_CODED_CENTURY_START = 1900


def century_gender_digit(year: int, gender: Gender) -> int | None:
    """The 4th digit a holder born in ``year`` with ``gender`` must have, or None when the
    year is outside the range the scheme covers (1900–2399)."""
    century = (year - _FIRST_CODED_CENTURY_START) // 100
    if year < _FIRST_CODED_CENTURY_START or century > 4:
        return None
    return century * 2 + (0 if gender == "male" else 1)


def cccd_consistency_errors(cccd: str, date_of_birth: date, gender: Gender) -> list[CccdMismatch]:
    """What in a structurally valid 12-digit ``cccd`` contradicts the holder's birth date and
    gender; an empty list when they agree."""
    mismatches: list[CccdMismatch] = []
    expected = century_gender_digit(date_of_birth.year, gender)
    if expected is None or cccd[3] != str(expected):
        mismatches.append("gender_century_mismatch")
    if cccd[4:6] != f"{date_of_birth.year % 100:02d}":
        mismatches.append("birth_year_mismatch")
    return mismatches
