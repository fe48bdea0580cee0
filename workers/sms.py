"""SMS delivery: OTP codes through the configured gateway, retried with back-off.

Each job is keyed by the id of the message it delivers (``otp:<challenge id>``), so a retried
enqueue never queues it twice while it waits or runs, and the gateway sees one message id for
every attempt. Its arguments hold a phone number and the code, so no result is kept (arq's
result would copy them into Redis for an hour); instead a delivered message leaves a marker
keyed by its id alone, and a job for a message already delivered sends nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from arq import Retry
from arq.worker import func

from api.clients.sms import SmsDeliveryError

logger = logging.getLogger("workers.sms")

# A failed SMS waits this many seconds times its attempt number (at most a minute) before retrying.
SMS_RETRY_STEP_SECONDS = 5.0
SMS_RETRY_MAX_SECONDS = 60.0
# How long a delivered message id is remembered (a re-enqueue after that would send again).
SENT_MARKER_SECONDS = 3600


def sent_marker(message_id: str) -> str:
    return f"sms:sent:{message_id}"


async def send_sms(ctx: dict[str, Any], phone: str, text: str, message_id: str) -> None:
    redis = ctx["redis"]
    if await redis.exists(sent_marker(message_id)):
        logger.info("sms already delivered", extra={"message_id": message_id})
        return
    try:
        await ctx["sms"].send(phone, text, message_id=message_id)
        await redis.set(sent_marker(message_id), b"1", ex=SENT_MARKER_SECONDS)
    except SmsDeliveryError as exc:
        attempt = int(ctx.get("job_try", 1))
        logger.warning("sms delivery failed", extra={"attempt": attempt, "error": str(exc)})
        step = float(ctx.get("sms_retry_step_seconds", SMS_RETRY_STEP_SECONDS))
        raise Retry(defer=min(SMS_RETRY_MAX_SECONDS, step * attempt)) from exc


FUNCTIONS = [func(send_sms, keep_result=0)]
CRON_JOBS: list[Any] = []
