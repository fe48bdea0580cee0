"""The arq worker: runs side effects and housekeeping, one module per concern.

Start with ``python -m workers`` (``python -m workers --check`` exits 0 while a worker is
alive). Jobs are retried with back-off and are idempotent: each is keyed by the id of the
thing it delivers.

A concern is a module that lists its job functions in ``FUNCTIONS`` and its scheduled jobs in
``CRON_JOBS``; adding one (relay, push, webhooks, sync…) means writing the module and naming
it in ``CONCERNS``.

Settings are read when the worker starts, not at import. Everything the jobs use lives in the
worker context, built by ``startup`` from the settings. Whoever starts a worker may put
``settings``, ``sms`` (an ``SmsSender``), ``sms_retry_step_seconds`` or the webhook settings
of ``workers.webhooks`` into the context first;
``startup`` keeps them — the delivery tests run a real worker against a loopback SMS gateway
this way. Likewise ``webpush`` (a ``WebPushClient``), ``push_retry_base_seconds``,
``relay_poll_seconds``, and ``relay: False`` for a worker that must not run the outbox relay
(``--burst`` workers, which only drain the queue).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from types import ModuleType
from typing import Any, cast

from arq.connections import RedisSettings
from arq.worker import async_check_health, create_worker

from api.clients.sms import sms_sender_for
from api.clients.webpush import WebPushClient, load_vapid_keys
from api.core.clock import VN_TZ
from api.core.db import create_pool
from api.core.jobs import redis_settings
from api.core.logging import configure_logging
from api.core.storage import ObjectStorage
from api.settings import Settings, load_settings
from workers import (
    housekeeping,
    notifications,
    push,
    relay,
    sla,
    sms,
    sms_fallback,
    webhooks,
)
from workers.sms import SMS_RETRY_STEP_SECONDS

CONCERNS: tuple[ModuleType, ...] = (
    sms,
    housekeeping,
    relay,
    notifications,
    push,
    sms_fallback,
    sla,
    webhooks,
)


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or load_settings()
    ctx["settings"] = settings
    configure_logging(settings.log_level)
    ctx.setdefault("sms", sms_sender_for(settings))
    ctx.setdefault("sms_retry_step_seconds", SMS_RETRY_STEP_SECONDS)
    ctx["db_pool"] = await create_pool(settings.database_url, min_size=1, max_size=4)
    ctx["storage"] = ObjectStorage(settings)
    if "webpush" not in ctx:
        async with ctx["db_pool"].acquire() as conn:
            ctx["webpush"] = WebPushClient(await load_vapid_keys(conn, settings))
    webhooks.prepare(ctx, settings)
    relay.start_relay(ctx)


async def shutdown(ctx: dict[str, Any]) -> None:
    await relay.stop_relay(ctx)
    await ctx["webpush"].close()
    await webhooks.close(ctx)
    await ctx["db_pool"].close()


class WorkerSettings:
    """What every worker runs. ``redis_settings`` is not here: it comes from the settings at
    start-up (``worker_options``)."""

    functions = [function for concern in CONCERNS for function in concern.FUNCTIONS]
    cron_jobs = [job for concern in CONCERNS for job in concern.CRON_JOBS]
    on_startup = startup
    on_shutdown = shutdown
    # Scheduled jobs keep Vietnam's clock whatever the server's zone (the daily clean-up's hour).
    timezone = VN_TZ
    max_tries = 5
    # How often an idle worker looks at the queue: a status change reaches a phone through two
    # jobs (fan-out, then push), so this bounds most of the delay after the relay woke.
    poll_delay = 0.1
    # The health-check key (``--check``) is rewritten this often and outlives it by a second.
    health_check_interval = 60
    # No job results in Redis: arq would copy each job's arguments (for SMS: a phone number and
    # a code) into them, also for a job that ran out of tries. A concern that needs its results
    # asks with ``arq.worker.func(..., keep_result=seconds)``; ``send_sms`` says 0 itself too.
    keep_result = 0


def worker_redis_settings(settings: Settings) -> RedisSettings:
    return redis_settings(settings.redis_url)


async def check_health(settings: Settings) -> int:
    """0 when a worker on the queue recorded its health-check key lately (arq's check), else 1."""
    return await async_check_health(worker_redis_settings(settings))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 0 if a worker is alive, 1 if not"
    )
    parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level)
    if args.check:
        return asyncio.run(check_health(settings))
    worker = create_worker(
        cast(Any, WorkerSettings),
        redis_settings=worker_redis_settings(settings),
        ctx={"settings": settings, "relay": not args.burst},
        burst=args.burst,
    )
    worker.run()
    return 0
