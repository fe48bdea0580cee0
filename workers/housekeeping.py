"""Housekeeping on a schedule: the staging sweep every ten minutes (a file posted to a spent
upload form is gone within ten minutes, an abandoned upload's file within twenty after its
window closed: the sweep's grace plus its interval), and the hourly purge of staff sign-in
failures nobody has repeated for a day."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron

from api.accounts.repository import LoginThrottleRepository
from api.documents.cleanup import SweepResult, sweep_staging_uploads

logger = logging.getLogger("workers.housekeeping")


async def sweep_uploads(ctx: dict[str, Any]) -> SweepResult:
    result = await sweep_staging_uploads(ctx["db_pool"], ctx["storage"])
    if result.abandoned or result.deleted:
        logger.info(
            "staging uploads swept",
            extra={"abandoned": result.abandoned, "deleted": result.deleted},
        )
    return result


async def purge_login_throttle(ctx: dict[str, Any]) -> int:
    async with ctx["db_pool"].acquire() as conn:
        purged = await LoginThrottleRepository(conn).purge_stale()
    if purged:
        logger.info("stale sign-in failures purged", extra={"count": purged})
    return purged


FUNCTIONS: list[Any] = []
CRON_JOBS = [
    cron(sweep_uploads, minute=set(range(7, 60, 10)), unique=True),
    cron(purge_login_throttle, minute=47, unique=True),
]
