"""The worker's entry point: ``python -m workers --check`` exits 0 while a worker is alive on
the queue and 1 once none is; the worker's job list is gathered from its concern modules."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from arq.worker import create_worker

from api.core.jobs import job_pool, redis_settings
from api.settings import Settings
from workers import housekeeping, notifications, push, relay, sla, sms, sms_fallback, webhooks
from workers.main import CONCERNS, WorkerSettings

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

ROOT = Path(__file__).resolve().parent.parent


def _check(settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": settings.redis_url, "APP_ENV": "test", "LOG_LEVEL": "ERROR"}
    return subprocess.run(
        [sys.executable, "-m", "workers", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_worker_runs_every_function_and_cron_job_its_concerns_list() -> None:
    assert (sms, housekeeping, relay, notifications, push, sms_fallback, sla, webhooks) == CONCERNS
    names = {getattr(f, "name", getattr(f, "__name__", None)) for f in WorkerSettings.functions}
    assert names == {
        "send_sms",
        "notify",
        "send_push",
        "send_sms_fallback",
        "fan_out_webhooks",
        "deliver_webhook",
    }
    assert [job.coroutine for job in WorkerSettings.cron_jobs] == [
        housekeeping.sweep_uploads,
        housekeeping.purge_login_throttle,
        housekeeping.daily_cleanup,
        sla.sla_watch,
    ]
    assert not hasattr(WorkerSettings, "redis_settings")  # read at start-up, not at import


async def test_the_health_check_passes_while_a_worker_is_alive(settings: Settings) -> None:
    redis = job_pool(settings.redis_url)
    worker = create_worker(
        WorkerSettings,
        redis_settings=redis_settings(settings.redis_url),
        ctx={"settings": settings},
        cron_jobs=None,
        poll_delay=0.05,
        handle_signals=False,
    )
    running: asyncio.Task[Any] = asyncio.create_task(worker.async_run())
    try:
        for _ in range(200):
            if await redis.exists(worker.health_check_key):
                break
            await asyncio.sleep(0.05)
        alive = await asyncio.to_thread(_check, settings)
        assert alive.returncode == 0, alive.stderr
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await worker.close()
        await redis.aclose()
    gone = await asyncio.to_thread(_check, settings)
    assert gone.returncode == 1, gone.stderr
