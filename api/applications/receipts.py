"""Receipt codes: ``<unit code>-<YYMMDD>-<4-digit number>``, numbered per unit and Vietnam day.

Numbers come from one UPSERT on ``receipt_counters``, so concurrent submits (and blocks handed
to offline devices) never share a number and never leave a gap inside one allocation.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import asyncpg

from api.core.clock import VN_TZ
from api.core.problems import Problem

MAX_NUMBER_PER_DAY = 9999  # four digits; receipt_counters enforces it too

_ALLOCATE = """
INSERT INTO receipt_counters (unit_code, day, last_number)
VALUES ($1, $2, $3)
ON CONFLICT (unit_code, day)
DO UPDATE SET last_number = receipt_counters.last_number + EXCLUDED.last_number
RETURNING last_number
"""


async def allocate_receipt_numbers(
    conn: asyncpg.Connection, unit_code: str, day: date, count: int = 1
) -> list[int]:
    """Reserve ``count`` consecutive numbers of ``unit_code``'s counter for ``day``.

    The counter row stays locked until the caller's transaction ends; a rolled-back caller
    gives its numbers back.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    try:
        last: int = await conn.fetchval(_ALLOCATE, unit_code, day, count)
    except asyncpg.CheckViolationError as exc:  # the day's four digits are used up
        raise numbers_exhausted(day) from exc
    return list(range(last - count + 1, last + 1))


class ReceiptNumbersExhausted(Problem):
    status = 503
    slug = "receipt-numbers-exhausted"
    entry = "applications.problems.receipt-numbers-exhausted"


def numbers_exhausted(day: date) -> Problem:
    """503 until the next Vietnam day, when the unit's numbering starts again at 0001."""
    next_day = datetime.combine(day + timedelta(days=1), time(), tzinfo=VN_TZ)
    retry_after = max(1, int((next_day - datetime.now(VN_TZ)).total_seconds()))
    return ReceiptNumbersExhausted(
        headers={"Retry-After": str(retry_after)},
        params={"per_day": MAX_NUMBER_PER_DAY},
        retry_after=retry_after,
    )


def format_receipt_code(unit_code: str, day: date, number: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"
