"""Housekeeping on a schedule: the hourly purge of abandoned uploads."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron

from api.documents.cleanup import purge_abandoned_uploads

logger = logging.getLogger("workers.housekeeping")


async def purge_uploads(ctx: dict[str, Any]) -> int:
    purged = await purge_abandoned_uploads(ctx["db_pool"], ctx["storage"])
    if purged:
        logger.info("abandoned uploads purged", extra={"count": purged})
    return purged


FUNCTIONS: list[Any] = []
CRON_JOBS = [cron(purge_uploads, minute=17, unique=True)]
