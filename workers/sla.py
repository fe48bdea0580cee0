"""The SLA watch on a schedule: every 15 minutes (api/applications/sla_watch.py says what it
announces). ``ctx["clock"]``, when set, is the time source (tests pass their own day)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from arq import cron

from api.applications.sla_watch import SlaWatchResult, watch_sla

logger = logging.getLogger("workers.sla")


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def sla_watch(ctx: dict[str, Any]) -> SlaWatchResult:
    clock: Callable[[], datetime] = ctx.get("clock", _utc_now)
    result = await watch_sla(ctx["db_pool"], clock())
    if result.due_soon or result.overdue:
        logger.info("sla notices", extra={"due_soon": result.due_soon, "overdue": result.overdue})
    return result


FUNCTIONS: list[Any] = []
CRON_JOBS = [cron(sla_watch, minute={2, 17, 32, 47}, unique=True, timeout=600)]
