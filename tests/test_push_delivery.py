"""Status changes reach phones: outbox event → relay (LISTEN/NOTIFY) → fan-out job → push job →
a loopback push service that checks VAPID and decrypts like a phone. Real PostgreSQL, Redis
and arq workers (in-process, and ``python -m workers`` subprocesses for the kill test)."""

from __future__ import annotations

import asyncio
import base64
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from arq.worker import create_worker

from api.clients.webpush import load_vapid_keys
from api.core.jobs import job_pool, redis_settings
from api.core.outbox import wake_relay
from api.settings import Settings
from tests.push_receiver import Device, PushReceiver
from tests.support import citizen, staff, worker_process
from tests.test_applications import submitted
from tests.test_processing import moved
from workers.main import WorkerSettings

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

QUEUE = "arq:queue"
DAY = 24 * 3600


# Generous: the change feed holds events back while any older transaction on the PostgreSQL
# server is open, and other suites may share the server.
async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


@pytest.fixture
async def receiver(db: asyncpg.Connection, settings: Settings) -> AsyncIterator[PushReceiver]:
    keys = await load_vapid_keys(db, settings)
    server = PushReceiver(keys.public_key)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        # Its devices are gone with it; later tests' workers must not keep retrying them.
        await db.execute(
            "DELETE FROM push_subscriptions WHERE starts_with(endpoint, $1)", server.origin
        )


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Any]:
    pool = job_pool(settings.redis_url)
    try:
        yield pool
    finally:
        await pool.aclose()


async def _relaying(ctx: dict[str, Any]) -> bool:
    return "relay_active" in ctx and ctx["relay_active"].is_set()


async def drained(redis: Any) -> bool:
    return await redis.zcard(QUEUE) == 0 and not await redis.keys("arq:in-progress:*")


@pytest.fixture
async def worker(settings: Settings, redis: Any) -> AsyncIterator[None]:
    """The production worker in this process: its relay, fan-out and push jobs; only the
    retry pace is faster and the safety-net poll slow (so LISTEN/NOTIFY is what wakes it)."""
    arq_worker = create_worker(
        WorkerSettings,
        redis_settings=redis_settings(settings.redis_url),
        ctx={"settings": settings, "push_retry_base_seconds": 0.05, "relay_poll_seconds": 30},
        cron_jobs=None,
        poll_delay=0.02,
        handle_signals=False,
    )
    running = asyncio.create_task(arq_worker.async_run())
    try:
        # The relay starts at the feed's head the first time: wait until it is relaying.
        await eventually(lambda: _relaying(arq_worker.ctx))
        yield
        await eventually(lambda: drained(redis))
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await arq_worker.close()


async def subscribe(client: httpx.AsyncClient, headers: dict[str, str], device: Device) -> str:
    response = await client.post(
        "/api/v1/push/subscriptions", json=device.as_json(), headers=headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def record_event(
    db: asyncpg.Connection, application: dict[str, Any], to_status: str, citizen_id: uuid.UUID
) -> None:
    """An outbox row as the applications service writes it (its journal, same payload), then
    the relay's wake-up as its unit of work sends it after the commit."""
    app_id = uuid.UUID(application["id"])
    await db.execute(
        "INSERT INTO events (application_id, seq, type, payload) VALUES ($1,"
        " (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE application_id = $1), $2, $3)",
        app_id,
        f"application.{to_status}",
        {
            "application_id": str(app_id),
            "receipt_code": application["receipt_code"],
            "procedure_code": application["procedure_code"],
            "citizen_id": str(citizen_id),
            "unit_code": application["unit_code"],
            "channel": "online",
            "from_status": "processing",
            "to_status": to_status,
            "version": 1,
            "actor_kind": "staff",
            "actor_role": "officer",
            "occurred_at": "2026-01-01T00:00:00+00:00",
            "due_date": None,
            "note": None,
        },
    )
    await wake_relay(db)


async def test_a_status_change_reaches_every_device_once_in_its_owners_language(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    worker: None,
) -> None:
    vi_id, vi_headers = await citizen(db, settings)
    en_id, en_headers = await citizen(db, settings)
    await db.execute("UPDATE citizens SET language = 'en' WHERE id = $1", en_id)
    officer_id, officer = await staff(db, settings)
    phone, tablet, en_phone, desk = (receiver.device() for _ in range(4))
    for headers, device in [
        (vi_headers, phone),
        (vi_headers, tablet),
        (en_headers, en_phone),
        (officer, desk),
    ]:
        await subscribe(client, headers, device)

    vi_app = await submitted(client, db, vi_headers)
    en_app = await submitted(client, db, en_headers)
    # The officer's unit heard of both new applications.
    await eventually(lambda: _count(receiver, desk, 2))
    assert {r.payload["kind"] for r in receiver.for_device(desk)} == {"new_in_unit"}  # type: ignore[index]
    vi_app = await moved(client, officer, vi_app, "receive", "received")
    en_app = await moved(client, officer, en_app, "receive", "received")
    await eventually(lambda: _count(receiver, en_phone, 1))
    await eventually(lambda: _count(receiver, tablet, 1))
    await eventually(lambda: _count(receiver, phone, 1))  # its own push job, maybe later

    assert receiver.refused == []
    for device in (phone, tablet):
        [got] = receiver.for_device(device)
        assert got.payload == {
            "id": got.payload["id"],  # type: ignore[index]
            "kind": "received",
            "title": f"Hồ sơ {vi_app['receipt_code']} đã được tiếp nhận",
            "body": "Hồ sơ Đăng ký khai sinh của bạn đã được tiếp nhận. Trạng thái: Đã tiếp nhận.",
            "receipt_code": vi_app["receipt_code"],
            "status": "received",
            "url": f"/applications/{vi_app['id']}",
        }
        assert got.headers["urgency"] == "normal" and int(got.headers["ttl"]) == 3 * DAY
        topic = base64.urlsafe_b64encode(uuid.UUID(vi_app["id"]).bytes).rstrip(b"=").decode()
        assert got.headers["topic"] == topic and len(topic) == 22
    [english] = receiver.for_device(en_phone)
    assert english.payload is not None
    assert english.payload["title"] == f"Application {en_app['receipt_code']} received"
    assert english.payload["body"].startswith("Your ")
    assert english.payload["body"].endswith("Status: Received.")

    # A supplement request is urgent; a result is kept a week for a phone that is offline.
    vi_app = await moved(client, officer, vi_app, "start", "processing")
    missing = [{"requirement": "GIAY_CHUNG_SINH", "reason": "Ảnh bị mờ"}]
    await moved(
        client,
        officer,
        vi_app,
        "request_supplement",
        "supplement_requested",
        note="Bổ sung",
        missing_documents=missing,
    )
    await eventually(lambda: _count(receiver, phone, 2))
    await eventually(lambda: _count(receiver, tablet, 2))
    urgent = receiver.for_device(phone)[-1]
    assert urgent.payload and urgent.payload["kind"] == "supplement_requested"
    assert urgent.headers["urgency"] == "high"
    # The inbox holds the same, in the reader's language, once per recipient and event.
    inbox = await client.get("/api/v1/me/notifications", headers=vi_headers)
    assert [n["kind"] for n in inbox.json()["items"]] == ["supplement_requested", "received"]
    assert inbox.json()["items"][1]["title"] == receiver.for_device(phone)[0].payload["title"]  # type: ignore[index]

    async def pushes_recorded() -> bool:
        pushes = await db.fetchval(
            "SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
            " WHERE n.recipient = ANY($1) AND d.channel = 'push' AND d.status = 'delivered'",
            [vi_id, en_id, officer_id],
        )
        return bool(pushes == 2 * 2 + 1 + 2)  # (received, supplement) x 2, en phone, desk x 2

    await eventually(pushes_recorded)
    assert len(receiver.delivered()) == 7  # and nothing more


def _count(receiver: PushReceiver, device: Device, n: int) -> Awaitable[bool]:
    async def check() -> bool:
        return len([r for r in receiver.for_device(device) if r.answered == 201]) >= n

    return check()


async def test_gone_deletes_and_busy_or_failing_services_are_retried(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    worker: None,
) -> None:
    citizen_id, headers = await citizen(db, settings)
    application = await submitted(client, db, headers)
    gone, busy, failing, refusing = (receiver.device() for _ in range(4))
    ids = {d.endpoint: await subscribe(client, headers, d) for d in (gone, busy, failing, refusing)}
    receiver.script(gone, 410)
    receiver.script(busy, 429)
    receiver.script(failing, 500, 503)
    receiver.script(refusing, 413)

    await record_event(db, application, "approved", citizen_id)

    await eventually(lambda: _count(receiver, busy, 1))
    await eventually(lambda: _count(receiver, failing, 1))
    await eventually(lambda: _statuses_final(db, citizen_id, 4))
    statuses = dict(
        await db.fetch(
            "SELECT d.target, d.status || ':' || d.attempts FROM deliveries d"
            " JOIN notifications n ON n.id = d.notification_id"
            " WHERE n.recipient = $1 AND d.channel = 'push'",
            citizen_id,
        )
    )
    assert statuses == {
        ids[gone.endpoint]: "gone:1",
        ids[busy.endpoint]: "delivered:2",
        ids[failing.endpoint]: "delivered:3",
        ids[refusing.endpoint]: "permanent-failure:1",
    }
    assert [r.answered for r in receiver.for_device(busy)] == [429, 201]
    # Retry-After: 1 was honoured.
    first, second = receiver.for_device(busy)
    assert second.at - first.at >= 0.9
    assert [r.answered for r in receiver.for_device(failing)] == [500, 503, 201]
    assert len(receiver.for_device(refusing)) == 1  # refused for good: not retried
    remaining = await db.fetch(
        "SELECT id::text, failed_at IS NOT NULL AS failed FROM push_subscriptions"
        " WHERE citizen_id = $1",
        citizen_id,
    )
    assert dict(remaining) == {
        ids[busy.endpoint]: False,
        ids[failing.endpoint]: False,
        ids[refusing.endpoint]: True,
    }  # the 410 one is deleted


async def _statuses_final(db: asyncpg.Connection, recipient: uuid.UUID, n: int) -> bool:
    final = await db.fetchval(
        "SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
        " WHERE n.recipient = $1 AND d.channel = 'push'"
        " AND d.status IN ('delivered', 'gone', 'permanent-failure')",
        recipient,
    )
    return bool(final == n)


async def test_a_committed_event_is_pushed_at_once_through_listen_notify(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    worker: None,
) -> None:
    citizen_id, headers = await citizen(db, settings)
    application = await submitted(client, db, headers)
    device = receiver.device()
    await subscribe(client, headers, device)
    await record_event(db, application, "received", citizen_id)  # the relay is awake now
    await eventually(lambda: _count(receiver, device, 1))

    latencies = []
    for status in ("approved", "result_issued", "completed"):
        started = time.monotonic()
        await record_event(db, application, status, citizen_id)
        await eventually(lambda: _count(receiver, device, len(latencies) + 2), seconds=5)
        latencies.append(receiver.for_device(device)[-1].at - started)
    print(f"event committed -> push received: {[round(x * 1000) for x in latencies]} ms")
    # The safety-net poll is 30 s here: only the notification can have woken the relay. The
    # latency goal itself (p95 < 1 s on an idle machine) is measured by bench/, not here, where
    # other suites may share the two cores.
    assert max(latencies) < 5.0
    result = receiver.for_device(device)[2]
    assert int(result.headers["ttl"]) == 7 * DAY and result.headers["urgency"] == "high"


async def test_a_worker_killed_mid_burst_loses_nothing_and_repeats_nothing_the_phone_sees(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    redis: Any,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    citizen_id, headers = await citizen(db, settings)
    application = await submitted(client, db, headers)
    device = receiver.device()
    await subscribe(client, headers, device)
    burst = 200

    processes.append(worker_process(settings))
    for _ in range(burst):  # each its own transaction, as status changes are
        await record_event(db, application, "approved", citizen_id)
    await eventually(lambda: _count(receiver, device, burst // 4), seconds=60)
    processes[0].send_signal(signal.SIGKILL)
    processes[0].wait(timeout=10)
    killed_at = len(receiver.for_device(device))
    # A killed worker's running jobs are retried once their in-progress marker expires (the
    # job timeout + 10 s); the test removes the markers instead of waiting.
    for key in await redis.keys("arq:in-progress:*"):
        await redis.delete(key)

    processes.append(worker_process(settings))
    await eventually(lambda: _count_distinct(receiver, device, burst), seconds=90)
    await eventually(lambda: drained(redis), seconds=30)

    received = Counter(r.payload["id"] for r in receiver.for_device(device) if r.payload)  # type: ignore[index]
    inbox = await db.fetch(
        "SELECT id::text FROM notifications WHERE recipient = $1 AND kind = 'approved'",
        citizen_id,
    )
    delivered = await db.fetch(
        "SELECT n.id::text, d.attempts FROM deliveries d JOIN notifications n"
        " ON n.id = d.notification_id WHERE n.recipient = $1 AND d.channel = 'push'"
        " AND d.status = 'delivered' AND n.kind = 'approved'",
        citizen_id,
    )
    assert len(inbox) == burst
    assert {row["id"] for row in inbox} == set(received) == {row["id"] for row in delivered}
    repeated = {note: n for note, n in received.items() if n > 1}
    print(
        f"burst of {burst}: {killed_at} pushes before SIGKILL, "
        f"{sum(received.values())} received for {len(received)} notifications, "
        f"{len(repeated)} sent again after the kill"
    )
    # Only a message accepted by the push service in the instant before the kill (its
    # deliveries row not yet written) goes out again: at most one per job then running.
    assert len(repeated) <= 10  # arq's max_jobs
    assert receiver.refused == []


async def _count_distinct(receiver: PushReceiver, device: Device, n: int) -> bool:
    ids = {r.payload["id"] for r in receiver.for_device(device) if r.payload}
    return len(ids) >= n
