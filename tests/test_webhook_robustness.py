"""Webhook delivery under failure: a worker SIGKILLed in the middle of a burst, a receiver that
refuses connections across several retries and then comes up, a slow endpoint that must not
take every job slot, and a dead one whose waiting jobs must not keep the worker busy.
Receivers are real servers on loopback verifying every request with the reference
``standardwebhooks`` package (tests/webhook_receiver.py)."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from arq.worker import create_worker

from api.clients.webhooks import WebhookSender
from api.core.jobs import redis_settings
from api.settings import Settings
from api.webhooks.endpoint_slots import KEY_PREFIX
from api.webhooks.fanout import delivery_job_id, enqueue_webhook_deliveries
from tests.support import worker_process
from tests.test_applications import submitted
from tests.test_push_delivery import drained, record_event
from tests.test_webhook_delivery import Agency, agency, redis, register, run_worker
from tests.webhook_receiver import LoopbackReceiver
from workers.main import WorkerSettings

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

__all__ = ["agency", "redis"]  # fixtures used by name below

APPROVED = ["application.approved"]


async def eventually(check: Callable[[], Awaitable[bool] | bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if await result if isinstance(result, Awaitable) else result:
            return
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


async def burst_of_events(
    client: httpx.AsyncClient, db: asyncpg.Connection, agency: Agency, count: int
) -> tuple[list[asyncpg.Record], str]:
    """``count`` approved events of one application of the agency (the outbox rows as the
    applications service writes them); the rows and the application's id."""
    application = await submitted(client, db, agency.citizen)
    citizen_id = await db.fetchval(
        "SELECT citizen_id FROM applications WHERE id = $1", uuid.UUID(application["id"])
    )
    for _ in range(count):
        await record_event(db, application, "approved", citizen_id)
    rows = await db.fetch(
        "SELECT id, application_id, type, payload FROM events"
        " WHERE application_id = $1 AND type = 'application.approved' ORDER BY seq",
        uuid.UUID(application["id"]),
    )
    return rows, application["id"]


async def queue_all(db: asyncpg.Connection, redis: Any, rows: list[asyncpg.Record]) -> None:
    """What the relay does per event."""
    for row in rows:
        await enqueue_webhook_deliveries(db, redis, row)


async def test_a_worker_killed_mid_burst_loses_nothing_and_repeats_only_the_same_webhook_id(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    agency: Agency,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    burst = 100
    with LoopbackReceiver(answer_delay=0.03) as receiver:
        endpoint = await register(client, agency, receiver, APPROVED)
        rows, _ = await burst_of_events(client, db, agency, burst)
        event_ids = {str(row["id"]) for row in rows}
        processes.append(worker_process(settings))
        await queue_all(db, redis, rows)
        await eventually(lambda: len(receiver.delivered_ids()) >= burst // 4, seconds=30)
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait(timeout=10)
        killed_at = len(receiver.delivered_ids())
        assert killed_at < burst, "the kill came too late to prove anything"
        # A killed worker's jobs run again once their in-progress markers expire (the job
        # time-out + 10 s) and its endpoint slots once their lease ends (2 × the sender's
        # time-out): the test removes both instead of waiting.
        for key in await redis.keys("arq:in-progress:*") + await redis.keys(f"{KEY_PREFIX}*"):
            await redis.delete(key)

        processes.append(worker_process(settings))
        await eventually(lambda: receiver.delivered_ids() >= event_ids, seconds=60)
        await eventually(lambda: drained(redis), seconds=20)

        arrivals = Counter(r.webhook_id for r in receiver.requests)
        repeated = {webhook_id: n for webhook_id, n in arrivals.items() if n > 1}
        print(
            f"burst of {burst}: {killed_at} delivered before SIGKILL, {sum(arrivals.values())}"
            f" arrivals for {len(arrivals)} webhook-ids, {len(repeated)} sent again"
        )
        assert set(arrivals) == event_ids  # nothing lost, nothing else
        assert all(r.verified_with == [0] for r in receiver.requests)
        # At least once: only a message the receiver had answered in the instant before the
        # kill (its attempt not yet recorded) is sent again, with the same webhook-id — at most
        # one per job then running (arq's max_jobs).
        assert len(repeated) <= 10 and all(n == 2 for n in repeated.values())
        statuses = await db.fetch(
            "SELECT status, count(*) FROM webhook_deliveries WHERE endpoint_id = $1"
            " GROUP BY status",
            uuid.UUID(endpoint["id"]),
        )
        assert {row["status"]: row["count"] for row in statuses} == {"delivered": burst}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_receiver_down_across_retries_then_up_gets_every_message_once(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    agency: Agency,
) -> None:
    port = free_port()  # nothing listens: connection refused
    url = f"http://127.0.0.1:{port}/hooks"
    response = await client.post(
        "/api/v1/agency/webhooks",
        json={"url": url, "event_types": APPROVED},
        headers=agency.admin,
    )
    assert response.status_code == 201, response.text
    endpoint = response.json()
    rows, _ = await burst_of_events(client, db, agency, 5)
    await queue_all(db, redis, rows)
    worker = asyncio.create_task(
        run_worker(settings, schedule=(0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3))
    )
    try:

        async def three_refusals_each() -> bool:
            fewest = await db.fetchval(
                "SELECT min(attempts) FROM webhook_deliveries WHERE endpoint_id = $1",
                uuid.UUID(endpoint["id"]),
            )
            return bool(fewest is not None and fewest >= 3)

        await eventually(three_refusals_each, seconds=30)
        with LoopbackReceiver(port=port, secrets=[endpoint["secret"]]) as receiver:
            await asyncio.wait_for(worker, 60)
            arrivals = Counter(r.webhook_id for r in receiver.requests)
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
    assert set(arrivals) == {str(row["id"]) for row in rows}
    assert set(arrivals.values()) == {1}
    log = await db.fetch(
        "SELECT d.status, array_agg(a.error ORDER BY a.id) AS errors"
        " FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id"
        " WHERE d.endpoint_id = $1 GROUP BY d.id",
        uuid.UUID(endpoint["id"]),
    )
    assert len(log) == 5
    for row in log:
        assert row["status"] == "delivered"
        assert len(row["errors"]) >= 4 and row["errors"][-1] is None
        assert all(error is not None for error in row["errors"][:-1])


async def test_a_slow_endpoint_gets_its_share_of_job_slots_and_no_more(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    agency: Agency,
) -> None:
    count, cap = 12, 2
    with (
        LoopbackReceiver(answer_delay=0.25) as slow,
        LoopbackReceiver() as healthy,
    ):
        await register(client, agency, slow, APPROVED)
        await register(client, agency, healthy, APPROVED)
        rows, _ = await burst_of_events(client, db, agency, count)
        await queue_all(db, redis, rows)
        finished: dict[str, float] = {}

        async def watch() -> None:
            while len(finished) < 2:
                for name, receiver in (("slow", slow), ("healthy", healthy)):
                    if name not in finished and len(receiver.delivered_ids()) == count:
                        finished[name] = time.monotonic()
                await asyncio.sleep(0.01)

        watcher = asyncio.create_task(watch())
        await run_worker(settings, endpoint_slots=cap, busy_wait=0.05)
        await asyncio.wait_for(watcher, 10)
    # Ten job slots, yet never more than the cap at the slow endpoint at once…
    assert slow.max_in_flight <= cap
    assert Counter(r.webhook_id for r in slow.requests).most_common(1)[0][1] == 1
    # …so the healthy one was done long before the slow one (12 × 0.25 s / 2 ≥ 1.5 s).
    assert finished["healthy"] < finished["slow"]


class DeadEndpoint:
    """Accepts connections and never answers: each attempt lasts the sender's time-out."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(128)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/hooks"

    def __enter__(self) -> DeadEndpoint:
        return self

    def __exit__(self, *_: object) -> None:
        self._socket.close()


async def test_a_dead_endpoints_waiting_jobs_wait_their_turn_while_the_healthy_one_drains(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    redis: Any,
    agency: Agency,
) -> None:
    count, cap, timeout = 30, 2, 20.0
    with DeadEndpoint() as dead_server, LoopbackReceiver() as healthy:
        response = await client.post(
            "/api/v1/agency/webhooks",
            json={"url": dead_server.url, "event_types": APPROVED},
            headers=agency.admin,
        )
        assert response.status_code == 201, response.text
        dead = uuid.UUID(response.json()["id"])
        await register(client, agency, healthy, APPROVED)
        rows, _ = await burst_of_events(client, db, agency, count)
        await queue_all(db, redis, rows)
        # No attempt of the dead endpoint ends here, so its attempt time is never measured:
        # turns are paced by the age of its oldest attempt in flight (at least 0.5 s).
        worker = create_worker(
            WorkerSettings,
            redis_settings=redis_settings(settings.redis_url),
            ctx={
                "settings": settings,
                "webhook_sender": WebhookSender(production=False, timeout=timeout),
                "webhook_endpoint_slots": cap,
                "webhook_busy_wait_seconds": 0.5,
            },
            cron_jobs=None,
            poll_delay=0.02,
            handle_signals=False,
        )
        running = asyncio.create_task(worker.async_run())
        try:
            await eventually(lambda: len(healthy.delivered_ids()) == count, seconds=timeout)
            # The dead endpoint still holds its slots: none of its attempts has ended…
            assert await redis.zcard(f"{KEY_PREFIX}{dead}") == cap
            looks = [
                int(await redis.get(f"arq:retry:{delivery_job_id(row['id'], row['round'])}"))
                for row in await db.fetch(
                    "SELECT id, round FROM webhook_deliveries WHERE endpoint_id = $1", dead
                )
            ]
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            await worker.close()
    # …and its waiting jobs were each given a turn (its attempt time shared by its slots)
    # rather than each coming back every second or so: about one look each meanwhile.
    print(f"dead endpoint: {sum(looks)} runs of its {count} jobs while {count} were delivered")
    assert len(looks) == count
    assert sum(looks) < 2 * count
    assert healthy.max_in_flight <= cap
