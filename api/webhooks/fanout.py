"""From an event to webhook messages: the one function the outbox relay calls per event.

``enqueue_webhook_deliveries`` finds the enabled endpoints of the event's agency (the agency
owning the application's unit) subscribed to its type, records one ``webhook_deliveries`` row
per endpoint (unique per event and endpoint, so running it again creates nothing) and queues
a delivery job per new message, with a deterministic id. Jobs are queued after the rows are
committed; a message whose job was lost (a crash in between) is queued again by the next run
for the same event, which finds it still pending with no attempt.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg
from arq.connections import ArqRedis

DELIVER_FUNCTION = "deliver_webhook"
FANOUT_FUNCTION = "fan_out_webhooks"

_RECORD = """
WITH targets AS (
    SELECT e.id FROM webhook_endpoints e
    JOIN units u ON u.agency_code = e.agency_code
    WHERE u.code = $4 AND e.enabled AND $3 = ANY(e.event_types)
), inserted AS (
    INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, application_id)
    SELECT id, $1, $3, $2 FROM targets
    ON CONFLICT (event_id, endpoint_id) DO NOTHING
    RETURNING id, round, endpoint_id
)
SELECT id, round, endpoint_id FROM inserted
UNION ALL
SELECT d.id, d.round, d.endpoint_id FROM webhook_deliveries d
WHERE d.event_id = $1 AND d.status = 'pending' AND d.attempts = 0
"""


def delivery_job_id(delivery_id: uuid.UUID | str, round_: int) -> str:
    return f"webhook:{delivery_id}:{round_}"


def fanout_job_id(event_id: uuid.UUID | str) -> str:
    return f"webhooks:{event_id}"


async def enqueue_delivery(
    redis: ArqRedis, delivery_id: uuid.UUID, round_: int, endpoint_id: uuid.UUID
) -> None:
    """Queue one attempt round of a message; the job carries its endpoint so that a busy
    endpoint is seen without a query (api/webhooks/endpoint_slots.py)."""
    await redis.enqueue_job(
        DELIVER_FUNCTION,
        str(delivery_id),
        round_,
        str(endpoint_id),
        _job_id=delivery_job_id(delivery_id, round_),
    )


async def enqueue_webhook_deliveries(
    conn: asyncpg.Connection, redis: ArqRedis, event_row: Mapping[str, Any]
) -> int:
    """Record and queue the webhook messages of one ``events`` row; how many were queued
    (a job already queued under the same id is not queued twice)."""
    payload = event_row["payload"]
    unit_code = payload.get("unit_code") if isinstance(payload, Mapping) else None
    if unit_code is None:
        return 0
    rows = await conn.fetch(
        _RECORD, event_row["id"], event_row["application_id"], event_row["type"], unit_code
    )
    for row in {(row["id"], row["round"], row["endpoint_id"]) for row in rows}:
        await enqueue_delivery(redis, *row)
    return len({row["id"] for row in rows})
