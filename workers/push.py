"""Web Push delivery: one job per (notification, subscription), sent once.

The deliveries row (unique on notification, channel and subscription) says what happened; a
job whose row is already final sends nothing, so running it twice is harmless. What the push
service answered decides what follows: 2xx delivered; 404/410 the subscription is gone and is
deleted; 429, 5xx or no answer are retried with exponential back-off and jitter, honouring
``Retry-After``, a bounded number of times; any other refusal (400, 403, 413…) is permanent,
recorded and not retried.

A worker killed after the push service accepted a message but before its row was written sends
that message again on the retry: delivery to the push service is at least once. The payload
carries the notification id (and every message of an application shares a ``Topic``), so the
phone shows it once.
"""

from __future__ import annotations

import logging
import random
import uuid
from typing import Any, Literal

import asyncpg
from arq import Retry
from arq.worker import func

from api.clients.webpush import PushAnswer, Subscription, WebPushClient, topic_for
from api.messages import Localised
from api.notifications.rules import KINDS
from api.notifications.texts import (
    PushPayload,
    encode_payload,
    notification_url,
    title_and_body,
)
from workers.sms_fallback import sms_fallback_job_id

logger = logging.getLogger("workers.push")

DeliveryStatus = Literal[
    "delivered", "temporary-failure", "permanent-failure", "technical-failure", "gone"
]
FINAL: frozenset[str] = frozenset({"delivered", "permanent-failure", "technical-failure", "gone"})

PUSH_MAX_TRIES = 8
PUSH_RETRY_BASE_SECONDS = 5.0
PUSH_RETRY_MAX_SECONDS = 900.0

# Everything a push job reads, in one round trip: the notification in its reader's language,
# the subscription (NULL once unsubscribed) and what an earlier run recorded (NULL: nothing).
_JOB = """
SELECT n.id, n.kind, n.application_id, n.receipt_code, n.params,
       coalesce(c.language, st.language, 'vi') AS language,
       p.name_vi AS procedure_vi, p.name_en AS procedure_en,
       s.endpoint, s.p256dh, s.auth,
       (SELECT d.status FROM deliveries d
        WHERE d.notification_id = n.id AND d.channel = 'push' AND d.target = $2::uuid::text) AS done
FROM notifications n
LEFT JOIN citizens c ON c.id = n.citizen_id
LEFT JOIN staff st ON st.id = n.staff_id
LEFT JOIN procedures p ON p.code = n.params ->> 'procedure_code'
LEFT JOIN push_subscriptions s ON s.id = $2::uuid
WHERE n.id = $1
"""

# The outcome and what it means for the subscription, in one statement (so one round trip,
# atomic without a transaction block): delivered clears failed_at, gone deletes it, a final
# refusal sets failed_at.
_RECORD = """
WITH recorded AS (
    INSERT INTO deliveries (notification_id, channel, target, status, attempts,
                            last_status_code, delivered_at)
    VALUES ($1, 'push', $2::uuid::text, $3, 1, $4, CASE WHEN $3 = 'delivered' THEN now() END)
    ON CONFLICT (notification_id, channel, target) DO UPDATE
    SET status = excluded.status, attempts = deliveries.attempts + 1,
        last_status_code = excluded.last_status_code, delivered_at = excluded.delivered_at,
        updated_at = now()
    RETURNING 1
), succeeded AS (
    UPDATE push_subscriptions SET last_success_at = now(), failed_at = NULL
    WHERE id = $2::uuid AND $3 = 'delivered'
), gone AS (
    DELETE FROM push_subscriptions WHERE id = $2::uuid AND $3 = 'gone'
), failed AS (
    UPDATE push_subscriptions SET failed_at = now()
    WHERE id = $2::uuid AND $3 IN ('permanent-failure', 'technical-failure')
)
SELECT count(*) FROM recorded
"""


def outcome(answer: PushAnswer) -> DeliveryStatus:
    if answer.unusable_keys:
        return "permanent-failure"
    code = answer.status_code
    if code is None or code == 429 or code >= 500:
        return "temporary-failure"
    if 200 <= code < 300:
        return "delivered"
    if code in (404, 410):
        return "gone"
    return "permanent-failure"


def retry_delay(attempt: int, retry_after: float | None, *, base: float, cap: float) -> float:
    """Exponential back-off with jitter (between half and all of base·2^(attempt-1)), never
    sooner than the service asked, never longer than ``cap``."""
    ceiling = base * 2 ** (attempt - 1)
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not a secret
    return min(cap, max(delay, retry_after or 0.0))


def _payload(row: asyncpg.Record) -> PushPayload:
    """The message in the recipient's language."""
    procedure = (
        Localised(vi=row["procedure_vi"], en=row["procedure_en"])
        if row["procedure_vi"] is not None
        else None
    )
    title, body = title_and_body(row["kind"], row["params"], procedure, row["language"])
    return PushPayload(
        id=row["id"],
        kind=row["kind"],
        title=title,
        body=body,
        receipt_code=row["receipt_code"],
        status=row["params"].get("status", ""),
        url=notification_url(row["kind"], row["application_id"], row["params"]),
    )


async def send_push(ctx: dict[str, Any], notification_id: str, subscription_id: str) -> str:
    """Send one notification to one subscription unless that was done; what happened."""
    pool: asyncpg.Pool = ctx["db_pool"]
    note_id, sub_id = uuid.UUID(notification_id), uuid.UUID(subscription_id)
    async with pool.acquire() as conn:
        row = await conn.fetchrow(_JOB, note_id, sub_id)
    if row is None:
        return "gone"  # the account was deleted since the fan-out
    if row["done"] in FINAL:
        return str(row["done"])
    payload = _payload(row)
    kind = KINDS[payload.kind]
    if row["endpoint"] is None:  # unsubscribed since the fan-out
        if kind.sms:
            await ctx["redis"].enqueue_job(
                "send_sms_fallback",
                notification_id,
                _job_id=sms_fallback_job_id(note_id, subscription_id),
            )
        return "gone"
    client: WebPushClient = ctx["webpush"]
    answer = await client.send(
        Subscription(endpoint=row["endpoint"], p256dh=row["p256dh"], auth=row["auth"]),
        encode_payload(payload),
        ttl=kind.ttl_seconds,
        urgency=kind.urgency,
        # An account notice replaces only itself on a phone that was offline.
        topic=topic_for((row["application_id"] or row["id"]).bytes),
    )
    status = outcome(answer)
    attempt = int(ctx.get("job_try", 1))
    if status == "temporary-failure" and attempt >= PUSH_MAX_TRIES:
        status = "technical-failure"
    async with pool.acquire() as conn:
        await conn.execute(_RECORD, note_id, sub_id, status, answer.status_code)
    if status == "temporary-failure":
        delay = retry_delay(
            attempt,
            answer.retry_after,
            base=float(ctx.get("push_retry_base_seconds", PUSH_RETRY_BASE_SECONDS)),
            cap=PUSH_RETRY_MAX_SECONDS,
        )
        logger.info(
            "push deferred",
            extra={"status_code": answer.status_code, "attempt": attempt, "delay": delay},
        )
        raise Retry(defer=delay)
    if status != "delivered":
        logger.warning("push not delivered", extra={"status": status, "code": answer.status_code})
        if kind.sms:
            # Maybe this was the citizen's last working device: the fall-back decides.
            await ctx["redis"].enqueue_job(
                "send_sms_fallback",
                notification_id,
                _job_id=sms_fallback_job_id(note_id, subscription_id),
            )
    return status


FUNCTIONS = [func(send_push, keep_result=0, timeout=30, max_tries=PUSH_MAX_TRIES)]
CRON_JOBS: list[Any] = []
