"""Webhook delivery: the fan-out of an event into messages, and each message's attempts.

``fan_out_webhooks`` (job id ``webhooks:<event id>``) is what the outbox relay queues per
event; it calls ``api.webhooks.fanout.enqueue_webhook_deliveries``, which the relay may also
call itself. ``deliver_webhook`` (job id ``webhook:<message id>:<round>``) makes one attempt
and, while the schedule allows, asks arq to run it again later (``Retry(defer=…)``). The
attempt count lives in the database, not in arq's try counter, so arq's own limit is set far
above the schedule's ten attempts.

The worker context may be given ``webhook_sender`` (a ``WebhookSender``) and
``webhook_schedule`` (seconds between attempts) before start-up; the tests use a compressed
schedule this way. Production keeps ``RETRY_SCHEDULE_SECONDS``.

At most ``webhook_endpoint_slots`` attempts (default ``SLOTS_PER_ENDPOINT``) are in flight per
endpoint across all workers (api/webhooks/endpoint_slots.py); a job that finds its endpoint's
slots taken is deferred without an attempt until its turn, paced by how long the endpoint's
attempts take (``webhook_busy_wait_seconds``: the attempt time assumed before one is
measured). Such deferrals count as arq tries, hence arq's limit far above anything a backlog
reaches.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from arq import Retry
from arq.worker import func

from api.clients.webhooks import WebhookSender
from api.notifications.notices import queue_pushes
from api.settings import Settings
from api.webhooks.delivery import RETRY_SCHEDULE_SECONDS, attempt_delivery
from api.webhooks.endpoint_slots import (
    FIRST_ESTIMATE_SECONDS,
    SLOTS_PER_ENDPOINT,
    EndpointSlots,
)
from api.webhooks.fanout import enqueue_webhook_deliveries
from api.webhooks.signing_secrets import SecretBox

logger = logging.getLogger("workers.webhooks")

# arq's try limit for a delivery job: never the one that stops it (the schedule is; a job
# deferred because its endpoint is busy uses a try at each of its turns).
_ARQ_TRIES = 1_000_000


def prepare(ctx: dict[str, Any], settings: Settings) -> None:
    """Put what the jobs use into the worker context (kept when given already)."""
    ctx.setdefault("webhook_sender", WebhookSender(production=settings.is_production))
    ctx.setdefault("webhook_schedule", RETRY_SCHEDULE_SECONDS)
    ctx.setdefault("webhook_endpoint_slots", SLOTS_PER_ENDPOINT)
    ctx.setdefault("webhook_busy_wait_seconds", FIRST_ESTIMATE_SECONDS)
    ctx["webhook_box"] = SecretBox(settings.secret_key, settings.access_token_previous_keys)


async def close(ctx: dict[str, Any]) -> None:
    await ctx["webhook_sender"].aclose()


async def fan_out_webhooks(ctx: dict[str, Any], event_id: str) -> int:
    async with ctx["db_pool"].acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, application_id, type, payload FROM events WHERE id = $1",
            uuid.UUID(event_id),
        )
        if row is None:
            return 0
        queued: int = await enqueue_webhook_deliveries(conn, ctx["redis"], row)
    return queued


def _slots(ctx: dict[str, Any]) -> EndpointSlots:
    sender: WebhookSender = ctx["webhook_sender"]
    return EndpointSlots(
        ctx["redis"],
        per_endpoint=int(ctx["webhook_endpoint_slots"]),
        # A killed worker's slots free themselves once no attempt of it can be running.
        lease_seconds=2 * sender.timeout,
        first_estimate_seconds=float(ctx["webhook_busy_wait_seconds"]),
    )


async def deliver_webhook(
    ctx: dict[str, Any], delivery_id: str, round_: int, endpoint_id: str | None = None
) -> None:
    """``endpoint_id`` is absent only from jobs queued before it was carried."""
    attempted = await attempt_delivery(
        ctx["db_pool"],
        ctx["webhook_sender"],
        ctx["webhook_box"],
        uuid.UUID(delivery_id),
        round_,
        schedule=ctx["webhook_schedule"],
        slots=_slots(ctx),
        endpoint_id=uuid.UUID(endpoint_id) if endpoint_id else None,
    )
    if attempted.busy_wait is not None:
        # The endpoint has its share of attempts under way: look again at this job's turn.
        raise Retry(defer=attempted.busy_wait)
    # The endpoint was disabled by this attempt: its admins' notice is committed; push it.
    await queue_pushes(ctx["redis"], attempted.pushes)
    if attempted.wait is not None:
        logger.info(
            "webhook attempt failed; retrying",
            extra={"delivery_id": delivery_id, "wait_seconds": round(attempted.wait, 3)},
        )
        raise Retry(defer=attempted.wait)


FUNCTIONS = [
    func(fan_out_webhooks, keep_result=0),
    func(deliver_webhook, keep_result=0, max_tries=_ARQ_TRIES),
]
CRON_JOBS: list[Any] = []
