"""SMS fall-back: what a citizen must not miss (returned, supplement requested, result issued,
a new due date) reaches a citizen without working push by one SMS.

The check runs after the fan-out and again after each push of the notification that failed for
good, so the last word comes when every push has one. It sends when no push was delivered and
none is still under way: the citizen has no subscription, or each one is failed (``failed_at``),
gone, or refused this message for good. The ``deliveries`` row (channel ``sms``, target the
citizen id: one SMS per notification whatever the number) is the marker: it is taken under a
row lock and committed with the answer, so checks running side by side or again send once. A
worker killed mid-send leaves no row, and the retry sends under the same gateway message id
(``notification:<id>``), which the gateway uses to drop a duplicate.

No phone number or text goes into Redis: the job carries the notification id only.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import asyncpg
from arq import Retry
from arq.worker import func

from api.accounts.repository import languages_of
from api.clients.sms import SmsDeliveryError
from api.notifications.texts import sms_text

logger = logging.getLogger("workers.sms_fallback")

SMS_FALLBACK_MAX_TRIES = 8
SMS_FALLBACK_RETRY_MAX_SECONDS = 300.0
# Push outcomes after which that subscription will not deliver this notification.
_PUSH_FINAL_FAILURES = ["gone", "permanent-failure", "technical-failure"]

_NOTIFICATION = """
SELECT n.id, n.kind, n.params, n.citizen_id, n.created_at, c.phone
FROM notifications n JOIN citizens c ON c.id = n.citizen_id
WHERE n.id = $1
"""

# Delivered to a device, or still under way on a working subscription that existed when the
# notification was made (later devices get no push for it, so they cannot be waited for).
_PUSH_STATE = """
SELECT
  EXISTS (SELECT 1 FROM deliveries d
          WHERE d.notification_id = $1 AND d.channel = 'push' AND d.status = 'delivered')
    AS delivered,
  EXISTS (SELECT 1 FROM push_subscriptions s
          WHERE s.citizen_id = $2 AND s.failed_at IS NULL AND s.created_at <= $3
            AND NOT EXISTS (SELECT 1 FROM deliveries d
                            WHERE d.notification_id = $1 AND d.channel = 'push'
                              AND d.target = s.id::text AND d.status = ANY($4)))
    AS under_way
"""

_TAKE = """
INSERT INTO deliveries (notification_id, channel, target, status)
VALUES ($1, 'sms', $2, 'pending')
ON CONFLICT (notification_id, channel, target) DO NOTHING
"""
_LOCK = """
SELECT status, attempts FROM deliveries
WHERE notification_id = $1 AND channel = 'sms' AND target = $2
FOR UPDATE
"""
_RECORD = """
UPDATE deliveries
SET status = $3, attempts = attempts + 1, updated_at = now(),
    delivered_at = CASE WHEN $3 = 'delivered' THEN now() END
WHERE notification_id = $1 AND channel = 'sms' AND target = $2
"""


def sms_fallback_job_id(notification_id: uuid.UUID, after: str) -> str:
    """One check per trigger: the fan-out (``fanout``) and each push that failed for good (its
    subscription id). Distinct ids, so a check still queued never swallows a later one."""
    return f"sms-fallback:{notification_id}:{after}"


async def send_sms_fallback(ctx: dict[str, Any], notification_id: str) -> str:
    """Send the notification's SMS if the citizen has no working push for it; what happened."""
    pool: asyncpg.Pool = ctx["db_pool"]
    note_id = uuid.UUID(notification_id)
    attempt = int(ctx.get("job_try", 1))
    failed: SmsDeliveryError | None = None
    async with pool.acquire() as conn, conn.transaction():
        note = await conn.fetchrow(_NOTIFICATION, note_id)
        if note is None:
            return "not-needed"
        push = await conn.fetchrow(
            _PUSH_STATE, note_id, note["citizen_id"], note["created_at"], _PUSH_FINAL_FAILURES
        )
        if push["delivered"]:
            return "push-delivered"
        if push["under_way"]:
            return "push-under-way"
        target = str(note["citizen_id"])
        await conn.execute(_TAKE, note_id, target)
        done = await conn.fetchrow(_LOCK, note_id, target)
        if done["status"] in ("delivered", "permanent-failure", "technical-failure"):
            return "already-sent" if done["status"] == "delivered" else str(done["status"])
        languages = await languages_of(conn, citizen_ids=[note["citizen_id"]])
        text = sms_text(note["kind"], note["params"], languages[note["citizen_id"]])
        status = "delivered"
        try:
            await ctx["sms"].send(note["phone"], text, message_id=f"notification:{note_id}")
        except SmsDeliveryError as exc:
            failed = exc
            last = attempt >= SMS_FALLBACK_MAX_TRIES
            status = "technical-failure" if last else "temporary-failure"
        await conn.execute(_RECORD, note_id, target, status)
    if failed is not None and status == "temporary-failure":
        step = float(ctx.get("sms_retry_step_seconds", 5.0))
        logger.warning("sms fall-back deferred", extra={"attempt": attempt, "error": str(failed)})
        raise Retry(defer=min(SMS_FALLBACK_RETRY_MAX_SECONDS, step * attempt)) from failed
    return status


FUNCTIONS = [func(send_sms_fallback, keep_result=0, timeout=30, max_tries=SMS_FALLBACK_MAX_TRIES)]
CRON_JOBS: list[Any] = []
