"""Fan-out: one outbox event becomes inbox notifications, one push job per subscription and,
for what a citizen must not miss, an SMS fall-back check (workers/sms_fallback.py).

``notify`` may run more than once for an event (arq is at-least-once, and the relay queues an
event again after a crash): each recipient's notification is created once (unique on event and
recipient) and push jobs have deterministic ids, checked against the deliveries table by the
push job itself, so a repeated fan-out sends nothing twice.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import asyncpg
from arq.worker import func

from api.notifications.events_in import ApplicationEvent, application_event, status_of
from api.notifications.notices import push_job_id
from api.notifications.rules import KINDS, Kind, kinds_for
from api.notifications.texts import notification_params
from workers.sms_fallback import sms_fallback_job_id

logger = logging.getLogger("workers.notifications")

# Officers of the unit; agency admins see many units and watch their queues instead.
_UNIT_OFFICERS = "SELECT id FROM staff WHERE unit_code = $1 AND role = 'officer' AND active"

_CREATE = """
INSERT INTO notifications (event_id, citizen_id, staff_id, kind, application_id, receipt_code,
                           params)
SELECT $1, CASE WHEN $2 THEN r.id END, CASE WHEN $2 THEN NULL ELSE r.id END, $3, $4, $5, $6
FROM unnest($7::uuid[]) AS r (id)
ON CONFLICT (event_id, recipient) DO NOTHING
"""

_INBOX_DELIVERED = """
INSERT INTO deliveries (notification_id, channel, target, status, attempts, delivered_at)
SELECT id, 'inbox', recipient::text, 'delivered', 1, now() FROM notifications WHERE event_id = $1
ON CONFLICT (notification_id, channel, target) DO NOTHING
"""

# Every (notification, subscription) pair of the event, also those of a fan-out that ran before.
_PUSH_TARGETS = """
SELECT n.id AS notification_id, s.id AS subscription_id
FROM notifications n
JOIN push_subscriptions s ON s.citizen_id = n.citizen_id OR s.staff_id = n.staff_id
WHERE n.event_id = $1
"""


# The citizens' notifications of the event that fall back to SMS without working push.
_SMS_KINDS = """
SELECT id FROM notifications WHERE event_id = $1 AND citizen_id IS NOT NULL AND kind = ANY($2)
"""
SMS_KINDS: list[str] = [kind.name for kind in KINDS.values() if kind.sms]


async def _create(
    conn: asyncpg.Connection, event_id: uuid.UUID, event: ApplicationEvent, kind: Kind
) -> None:
    if kind.audience == "citizen":
        recipients = [event.citizen_id] if event.citizen_id else []
    else:
        recipients = [row["id"] for row in await conn.fetch(_UNIT_OFFICERS, event.unit_code)]
    if recipients:
        await conn.execute(
            _CREATE,
            event_id,
            kind.audience == "citizen",
            kind.name,
            event.application_id,
            event.receipt_code,
            notification_params(
                event.receipt_code, status_of(event), event.procedure_code, event.due_date
            ),
            recipients,
        )


async def notify(ctx: dict[str, Any], event_id: str) -> int:
    """Create the notifications of one event and queue their pushes; the number queued."""
    pool: asyncpg.Pool = ctx["db_pool"]
    async with pool.acquire() as conn, conn.transaction():
        event = await conn.fetchrow(
            "SELECT id, type, seq, payload FROM events WHERE id = $1", uuid.UUID(event_id)
        )
        if event is None:
            return 0
        decoded = application_event(event)
        if decoded is None:
            return 0
        for kind in kinds_for(decoded):
            await _create(conn, event["id"], decoded, kind)
        await conn.execute(_INBOX_DELIVERED, event["id"])
        targets = await conn.fetch(_PUSH_TARGETS, event["id"])
        sms_checks = await conn.fetch(_SMS_KINDS, event["id"], SMS_KINDS)
    for target in targets:
        await ctx["redis"].enqueue_job(
            "send_push",
            str(target["notification_id"]),
            str(target["subscription_id"]),
            _job_id=push_job_id(target["notification_id"], target["subscription_id"]),
        )
    # Without a subscription this sends the SMS; otherwise it waits for the pushes (each push
    # that fails for good asks again).
    for row in sms_checks:
        await ctx["redis"].enqueue_job(
            "send_sms_fallback", str(row["id"]), _job_id=sms_fallback_job_id(row["id"], "fanout")
        )
    return len(targets)


FUNCTIONS = [func(notify, keep_result=0, timeout=30)]
CRON_JOBS: list[Any] = []
