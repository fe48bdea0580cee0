"""Account notices: inbox notifications that no application event caused — an officer told
that someone keeps failing to sign in as them, an agency's admins told that one of their
webhook endpoints was disabled.

The caller creates the notice in the transaction that writes its audit row, so both commit or
neither does. A notice has no event; its ``dedupe_key`` (unique per recipient) makes a second
creation a no-op. Like event notifications, only the kind and parameters are stored and the
words are rendered in the reader's language when read or pushed (api/notifications/texts.py).
After the commit, ``queue_pushes`` queues one ``send_push`` job per (notice, device) under the
same deterministic id the event fan-out uses, and the push job records each delivery once.

Kept free of the application modules so that accounts and webhooks can import it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import asyncpg
from arq.connections import ArqRedis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Kinds (catalogue: notifications.kinds.<kind>.title/body; api/notifications/rules.py).
SUSPICIOUS_SIGN_IN = "suspicious_sign_in"
WEBHOOK_DISABLED = "webhook_disabled"
NOTICE_KINDS = frozenset({SUSPICIOUS_SIGN_IN, WEBHOOK_DISABLED})

PUSH_FUNCTION = "send_push"

# Creates the notices not created before, marks them delivered to the inbox, and answers
# every (new notice, push subscription of its recipient) pair.
_CREATE_STAFF_NOTICES = """
WITH created AS (
    INSERT INTO notifications (staff_id, kind, application_id, receipt_code, params, dedupe_key)
    SELECT r.id, $2, $3, $4, $5, $6 FROM unnest($1::uuid[]) AS r (id)
    ON CONFLICT (dedupe_key, recipient) WHERE dedupe_key IS NOT NULL DO NOTHING
    RETURNING id, staff_id
), inbox AS (
    INSERT INTO deliveries (notification_id, channel, target, status, attempts, delivered_at)
    SELECT id, 'inbox', staff_id::text, 'delivered', 1, now() FROM created
)
SELECT c.id AS notification_id, s.id AS subscription_id
FROM created c JOIN push_subscriptions s ON s.staff_id = c.staff_id
"""


class PushTarget(NamedTuple):
    notification_id: uuid.UUID
    subscription_id: uuid.UUID


def push_job_id(notification_id: uuid.UUID, subscription_id: uuid.UUID) -> str:
    """The one id of the push of a notification to a device, whoever queues it."""
    return f"push:{notification_id}:{subscription_id}"


async def create_staff_notice(
    conn: asyncpg.Connection,
    *,
    kind: str,
    staff_ids: Iterable[uuid.UUID],
    dedupe_key: str,
    params: Mapping[str, str],
    application_id: uuid.UUID | None = None,
    receipt_code: str | None = None,
) -> list[PushTarget]:
    """Create ``kind`` for each staff member once per ``dedupe_key``; the pushes to queue once
    the transaction commits (none for a notice that existed already)."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"not an account notice: {kind}")
    recipients = list(dict.fromkeys(staff_ids))
    if not recipients:
        return []
    rows = await conn.fetch(
        _CREATE_STAFF_NOTICES,
        recipients,
        kind,
        application_id,
        receipt_code,
        dict(params),
        dedupe_key,
    )
    return [PushTarget(row["notification_id"], row["subscription_id"]) for row in rows]


async def queue_pushes(redis: ArqRedis, targets: Iterable[PushTarget]) -> int:
    """Queue the pushes of committed notices; how many could be queued. A Redis outage costs
    the push, never the notice: it stays in the inbox."""
    queued = 0
    for target in targets:
        try:
            await redis.enqueue_job(
                PUSH_FUNCTION,
                str(target.notification_id),
                str(target.subscription_id),
                _job_id=push_job_id(*target),
            )
        except (RedisError, OSError) as exc:
            logger.error("could not queue a notice's push", extra={"error": repr(exc)})
            continue
        queued += 1
    return queued
