"""Receipt codes: ``<unit code>-<YYMMDD>-<4-digit number>-<check>``, numbered per unit and
Vietnam day.

Numbers come from one UPSERT on ``receipt_counters``, so concurrent submits (and blocks handed
to offline devices) never share a number and never leave a gap inside one allocation.

The three-character check segment is a keyed hash of the rest, so the day's codes of a unit
cannot be walked by counting: a guessed number almost always misses (1 in 32,768 hits), and
misses are what public tracking's tight per-address budget counts. Only the server holds the
key; blocks reserved for offline devices are handed out as finished codes. Codes issued
before the segment existed are stored without it and are looked up as they are.
"""

from __future__ import annotations

import hashlib
import hmac
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


# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand stays unambiguous.
_CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_LENGTH = 3


class ReceiptCodes:
    """Formats receipt codes with their keyed check segment (key: ``receipt_check_key``)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def format(self, unit_code: str, day: date, number: int) -> str:
        serial = f"{unit_code}-{day:%y%m%d}-{number:04d}"
        return f"{serial}-{self._check(serial)}"

    def _check(self, serial: str) -> str:
        digest = int.from_bytes(hmac.new(self._key, serial.encode(), hashlib.sha256).digest()[:8])
        return "".join(
            _CHECK_ALPHABET[(digest >> (5 * position)) & 31] for position in range(CHECK_LENGTH)
        )
