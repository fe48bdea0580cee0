"""The arq worker: runs side effects and housekeeping (push, webhooks and SLA jobs join later).

Start with ``arq workers.worker.WorkerSettings``. Jobs are retried with back-off and are
idempotent: each is keyed by the id of the thing it delivers.

Everything the jobs use lives in the worker context, built by ``startup`` from the settings
(read from the environment). Whoever starts a worker may put ``settings``, ``sms`` (an
``SmsSender``) or ``sms_retry_step_seconds`` into the context first; ``startup`` keeps them —
the delivery tests run a real worker against a loopback SMS gateway this way.
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
from api.settings import Settings, load_settings

logger = logging.getLogger("workers")

# A failed SMS waits this many seconds times its attempt number (at most a minute) before retrying.
SMS_RETRY_STEP_SECONDS = 5.0
SMS_RETRY_MAX_SECONDS = 60.0


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or load_settings()
    ctx["settings"] = settings
    configure_logging(settings.log_level)
    ctx.setdefault("sms", sms_sender_for(settings))
    ctx.setdefault("sms_retry_step_seconds", SMS_RETRY_STEP_SECONDS)
    ctx["db_pool"] = await create_pool(settings.database_url, min_size=1, max_size=4)
    ctx["storage"] = ObjectStorage(settings)


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["db_pool"].close()


async def send_sms(ctx: dict[str, Any], phone: str, text: str, message_id: str) -> None:
    try:
        await ctx["sms"].send(phone, text, message_id=message_id)
    except SmsDeliveryError as exc:
        attempt = int(ctx.get("job_try", 1))
        logger.warning("sms delivery failed", extra={"attempt": attempt, "error": str(exc)})
        step = float(ctx.get("sms_retry_step_seconds", SMS_RETRY_STEP_SECONDS))
        raise Retry(defer=min(SMS_RETRY_MAX_SECONDS, step * attempt)) from exc


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
    redis_settings = redis_settings(load_settings().redis_url)
    max_tries = 5
    # Keep results briefly so a job id cannot be re-enqueued right after it ran.
    keep_result = 3600
