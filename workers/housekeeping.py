"""Housekeeping on a schedule: the staging sweep every ten minutes, so a file posted to a spent
upload form is gone within ten minutes, and an abandoned upload's file within twenty after its
window closed (the sweep's grace plus its interval)."""

from __future__ import annotations

import logging
from typing import Any

from arq import cron

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


FUNCTIONS: list[Any] = []
CRON_JOBS = [cron(sweep_uploads, minute=set(range(7, 60, 10)), unique=True)]
