"""Receipt codes: ``<unit code>-<YYMMDD>-<4-digit number>``, numbered per unit and Vietnam day.

Numbers come from one UPSERT on ``receipt_counters``, so concurrent submits (and blocks handed
to offline devices) never share a number and never leave a gap inside one allocation.
"""

from __future__ import annotations

from datetime import date

import asyncpg

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
    last: int = await conn.fetchval(_ALLOCATE, unit_code, day, count)
    return list(range(last - count + 1, last + 1))


def format_receipt_code(unit_code: str, day: date, number: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"
