"""Receipt codes: ``<unit code>-<YYMMDD>-<4-digit number>-<check>``, numbered per unit and
Vietnam day.

Numbers come from one UPSERT on ``receipt_counters``, so concurrent submits (and blocks handed
to offline devices) never share a number and never leave a gap inside one allocation.

The UPSERT locks the unit's counter row until its transaction ends, so every submit of the
unit waits for the one holding it. In the API a submit therefore takes its number in a short
transaction of its own (``ReceiptCodes.next_code`` on a small pool of its own), after every
check passed: the row is locked for one statement. A submit that fails after that (the
database refusing the write) leaves a gap in the day's numbering, as unused offline blocks do;
a number is never given out twice.

Those short transactions commit without waiting for their WAL flush
(``RECEIPT_NUMBERING_SESSION``), so the row is free again as soon as the UPSERT is done rather
than after a disk write: under load the flush was most of the time each submit of a unit
waited for the previous one's number. It cannot give a number out twice: the number reaches
a citizen only through the submit that carries it, whose own commit does wait for its flush,
and the WAL is flushed in order, so the counter's commit (written before) is on disk by then.
A crash can lose only counter commits whose numbers no committed application holds; the
counter hands those numbers out again, and each still ends up on one application only.

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
# Session settings of the API's numbering connections (see the module's docstring).
RECEIPT_NUMBERING_SESSION = {"synchronous_commit": "off"}

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
        self._numbers: asyncpg.Pool | None = None

    def number_on(self, pool: asyncpg.Pool | None) -> None:
        """Take ``next_code``'s numbers on ``pool``, each in a transaction of its own (None:
        in the caller's). The pool must serve nothing else: a caller holding a connection
        of another pool waits for one of these, never the other way round."""
        self._numbers = pool

    async def next_code(self, conn: asyncpg.Connection, unit_code: str, day: date) -> str:
        """A new code of ``unit_code`` for ``day``: numbered in a transaction of its own when
        ``number_on`` gave a pool (a caller failing afterwards leaves a gap), else in the
        transaction ``conn`` is in (a caller rolling back gives the number back)."""
        if self._numbers is None:
            (number,) = await allocate_receipt_numbers(conn, unit_code, day)
        else:
            async with self._numbers.acquire() as own:
                (number,) = await allocate_receipt_numbers(own, unit_code, day)
        return self.format(unit_code, day, number)

    def format(self, unit_code: str, day: date, number: int) -> str:
        serial = f"{unit_code}-{day:%y%m%d}-{number:04d}"
        return f"{serial}-{self._check(serial)}"

    def _check(self, serial: str) -> str:
        digest = int.from_bytes(hmac.new(self._key, serial.encode(), hashlib.sha256).digest()[:8])
        return "".join(
            _CHECK_ALPHABET[(digest >> (5 * position)) & 31] for position in range(CHECK_LENGTH)
        )
