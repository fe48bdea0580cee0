"""SMS delivery: OTP codes through the configured gateway, retried with back-off.

Each job is keyed by the id of the message it delivers (``otp:<challenge id>``), so a retried
enqueue never queues it twice, and the gateway sees one message id for every attempt.
"""

from __future__ import annotations

import logging
from typing import Any

from arq import Retry

from api.clients.sms import SmsDeliveryError

logger = logging.getLogger("workers.sms")

# A failed SMS waits this many seconds times its attempt number (at most a minute) before retrying.
SMS_RETRY_STEP_SECONDS = 5.0
SMS_RETRY_MAX_SECONDS = 60.0


async def send_sms(ctx: dict[str, Any], phone: str, text: str, message_id: str) -> None:
    try:
        await ctx["sms"].send(phone, text, message_id=message_id)
    except SmsDeliveryError as exc:
        attempt = int(ctx.get("job_try", 1))
        logger.warning("sms delivery failed", extra={"attempt": attempt, "error": str(exc)})
        step = float(ctx.get("sms_retry_step_seconds", SMS_RETRY_STEP_SECONDS))
        raise Retry(defer=min(SMS_RETRY_MAX_SECONDS, step * attempt)) from exc


FUNCTIONS = [send_sms]
CRON_JOBS: list[Any] = []
