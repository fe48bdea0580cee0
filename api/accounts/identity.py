"""Well-formedness of Vietnamese identity data: mobile phone numbers and citizen identity
(CCCD) numbers. Pure functions, no I/O; whether a CCCD agrees with its holder's birth date and
gender is ``api.accounts.cccd``'s business."""

from __future__ import annotations

import re
from typing import Literal

# The 63 province codes in use before the 2025 merger (Circular 07/2016/TT-BCA, Appendix I).
# A CCCD keeps the code of the province where its holder's birth was registered, so numbers
# issued under the old map stay valid: never shrink this set to the 34 merged provinces.
CCCD_PROVINCE_CODES: frozenset[str] = frozenset(
    """
    01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40
    42 44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84
    86 87 89 91 92 93 94 95 96
    """.split()  # noqa: SIM905 - a table of codes reads better than 63 quoted strings
)

CccdProblem = Literal["not_12_digits", "unknown_province", "invalid_century_gender_digit"]

_SEPARATORS = re.compile(r"[\s.\-()]+")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


def normalise_vn_mobile(raw: str) -> str | None:
    """The 10-digit national form ('0912345678') of a Vietnamese mobile number written as
    '0912345678', '+84912345678' or '84912345678', with any spaces, dots, hyphens or
    parentheses; None when it is not a mobile number (prefixes 03, 05, 07, 08, 09)."""
    compact = _SEPARATORS.sub("", raw)
    if compact.startswith("+84"):
        subscriber = compact[3:]
        # '+84 0912 345 678' is a common slip: the trunk 0 kept after the country code.
        national = subscriber if subscriber.startswith("0") else "0" + subscriber
    elif compact.startswith("84") and len(compact) == 11:
        national = "0" + compact[2:]
    else:
        national = compact
    return national if _MOBILE.fullmatch(national) else None


def cccd_structure_errors(cccd: str) -> list[CccdProblem]:
    """What is structurally wrong with a 12-digit citizen identity number: exactly 12 ASCII
    digits, the first three '0' plus a (pre-2025) province code, the fourth the century and
    gender digit 0–3 (born 1900–2099). An empty list when the structure is sound."""
    if not _TWELVE_DIGITS.fullmatch(cccd):
        return ["not_12_digits"]
    problems: list[CccdProblem] = []
    if cccd[0] != "0" or cccd[1:3] not in CCCD_PROVINCE_CODES:
        problems.append("unknown_province")
    if cccd[3] not in "0123":
        problems.append("invalid_century_gender_digit")
    return problems
