"""The arq worker: runs side effects and housekeeping (push, webhooks and SLA jobs join later).

Start with ``arq workers.worker.WorkerSettings``. Jobs are retried with back-off and are
idempotent: each is keyed by the id of the thing it delivers.
"""

from __future__ import annotations

import logging
from typing import Any

from arq import Retry, cron

from api.clients.sms import SmsDeliveryError, sms_sender_for
from api.core.db import create_pool
from api.core.jobs import redis_settings
from api.core.logging import configure_logging
from api.core.storage import ObjectStorage
from api.documents.cleanup import purge_abandoned_uploads
from api.settings import load_settings

logger = logging.getLogger("workers")
_settings = load_settings()


async def startup(ctx: dict[str, Any]) -> None:
    configure_logging(_settings.log_level)
    ctx["sms"] = sms_sender_for(_settings)
    ctx["db_pool"] = await create_pool(_settings.database_url, min_size=1, max_size=4)
    ctx["storage"] = ObjectStorage(_settings)


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["db_pool"].close()


async def send_sms(ctx: dict[str, Any], phone: str, text: str, message_id: str) -> None:
    try:
        await ctx["sms"].send(phone, text, message_id=message_id)
    except SmsDeliveryError as exc:
        attempt = int(ctx.get("job_try", 1))
        logger.warning("sms delivery failed", extra={"attempt": attempt, "error": str(exc)})
        raise Retry(defer=min(60, 5 * attempt)) from exc


async def purge_uploads(ctx: dict[str, Any]) -> int:
    purged = await purge_abandoned_uploads(ctx["db_pool"], ctx["storage"])
    if purged:
        logger.info("abandoned uploads purged", extra={"count": purged})
    return purged


class WorkerSettings:
    functions = [send_sms]
    cron_jobs = [cron(purge_uploads, minute=17, unique=True)]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings(_settings.redis_url)
    max_tries = 5
    # Keep results briefly so a job id cannot be re-enqueued right after it ran.
    keep_result = 3600
