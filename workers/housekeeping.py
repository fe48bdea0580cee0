"""Housekeeping on a schedule: the hourly purges of abandoned uploads and of staff sign-in
failures nobody has repeated for a day."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron

from api.accounts.repository import LoginThrottleRepository
from api.documents.cleanup import purge_abandoned_uploads

logger = logging.getLogger("workers.housekeeping")


async def purge_uploads(ctx: dict[str, Any]) -> int:
    purged = await purge_abandoned_uploads(ctx["db_pool"], ctx["storage"])
    if purged:
        logger.info("abandoned uploads purged", extra={"count": purged})
    return purged


async def purge_login_throttle(ctx: dict[str, Any]) -> int:
    async with ctx["db_pool"].acquire() as conn:
        purged = await LoginThrottleRepository(conn).purge_stale()
    if purged:
        logger.info("stale sign-in failures purged", extra={"count": purged})
    return purged


FUNCTIONS: list[Any] = []
CRON_JOBS = [
    cron(purge_uploads, minute=17, unique=True),
    cron(purge_login_throttle, minute=47, unique=True),
]
