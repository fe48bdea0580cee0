"""Push delivery through outages of its own machinery: Redis restarted empty mid-burst, and the
worker holding the outbox relay killed while another stands by. Real ``python -m workers``
subprocesses, a private ``redis-server`` (the shared one is never touched), the loopback push
service of tests/push_receiver.py."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from api.core.jobs import job_pool
from api.settings import Settings
from tests.conftest import free_port
from tests.push_receiver import Device, PushReceiver
from tests.support import citizen, worker_process
from tests.test_applications import submitted
from tests.test_push_delivery import (
    _count,
    _count_distinct,
    drained,
    eventually,
    receiver,
    record_event,
    subscribe,
)
from workers.relay import RELAY_LOCK_KEY

pytestmark = pytest.mark.usefixtures("relay_from_head")
__all__ = ["receiver"]  # a fixture used by name

BURST = 120


class PrivateRedis:
    """A ``redis-server`` of this test alone, without persistence: a restart empties it."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            server.kill()


async def _relay_started(db: asyncpg.Connection) -> bool:
    """The relay saved its first position: events committed from now on are its to relay."""
    return bool(await db.fetchval("SELECT count(*) FROM relay_cursors"))


async def _relay_lock_held(db: asyncpg.Connection) -> bool:
    held = await db.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid::text::bigint = $1 AND objid::text::bigint = $2",
        RELAY_LOCK_KEY >> 32,
        RELAY_LOCK_KEY & 0xFFFF_FFFF,
    )
    return bool(held)


async def _assert_every_notification_once(
    db: asyncpg.Connection, receiver: PushReceiver, device: Device, citizen_id: uuid.UUID
) -> Counter[str]:
    """Inbox, deliveries and the push service agree on the burst; repeats only by id."""
    received = Counter(str(r.payload["id"]) for r in receiver.for_device(device) if r.payload)
    inbox = await db.fetch(
        "SELECT id::text FROM notifications WHERE recipient = $1 AND kind = 'approved'",
        citizen_id,
    )
    delivered = await db.fetch(
        "SELECT n.id::text FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
        " WHERE n.recipient = $1 AND d.channel = 'push' AND d.status = 'delivered'"
        " AND n.kind = 'approved'",
        citizen_id,
    )
    assert len(inbox) == BURST
    assert {row["id"] for row in inbox} == set(received) == {row["id"] for row in delivered}
    assert receiver.refused == []
    return received


async def _burst_subject(
    client: httpx.AsyncClient, db: asyncpg.Connection, settings: Settings, receiver: PushReceiver
) -> tuple[uuid.UUID, dict[str, Any], Device]:
    citizen_id, headers = await citizen(db, settings)
    application = await submitted(client, db, headers)
    device = receiver.device()
    await subscribe(client, headers, device)
    return citizen_id, application, device


async def test_redis_restarted_empty_mid_burst_loses_no_notification(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    private_redis: PrivateRedis,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    citizen_id, application, device = await _burst_subject(client, db, settings, receiver)
    processes.append(worker_process(settings, redis_url=private_redis.url))
    await eventually(lambda: _relay_started(db))
    for _ in range(BURST):
        await record_event(db, application, "approved", citizen_id)
    await eventually(lambda: _count(receiver, device, BURST // 4), seconds=60)
    # Everything queued (fan-outs, pushes) is gone: no persistence, and a hard stop.
    private_redis.kill()
    restarted_at = len(receiver.for_device(device))
    private_redis.start()
    # arq's poll loop does not survive losing Redis: the worker exits and its supervisor
    # (the deployment's restart policy) starts it again, as here.
    try:
        survived = processes[0].wait(timeout=15) is None
    except subprocess.TimeoutExpired:
        survived = True
    if not survived:
        processes.append(worker_process(settings, redis_url=private_redis.url))

    await eventually(lambda: _count_distinct(receiver, device, BURST), seconds=60)
    redis = job_pool(private_redis.url)
    try:
        await eventually(lambda: drained(redis), seconds=30)
    finally:
        await redis.aclose()
    received = await _assert_every_notification_once(db, receiver, device, citizen_id)
    repeated = {note: n for note, n in received.items() if n > 1}
    print(
        f"burst of {BURST}: {restarted_at} pushes before Redis restarted empty, "
        f"{sum(received.values())} received for {len(received)} notifications, "
        f"{len(repeated)} sent again; the worker {'survived' if survived else 'was restarted'}"
    )
    # Only pushes in flight when Redis went away can go out twice (arq's max_jobs at a time).
    assert len(repeated) <= 10


async def test_a_stand_by_takes_the_relay_over_when_its_holder_is_killed(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    receiver: PushReceiver,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    citizen_id, application, device = await _burst_subject(client, db, settings, receiver)
    holder = worker_process(settings)
    processes.append(holder)
    await eventually(lambda: _relay_lock_held(db))
    await eventually(lambda: _relay_started(db))
    processes.append(worker_process(settings))  # stands by: the lock is taken
    for _ in range(BURST // 2):
        await record_event(db, application, "approved", citizen_id)
    await eventually(lambda: _count(receiver, device, BURST // 4), seconds=60)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    killed = time.monotonic()
    # Running jobs of the killed worker wait for their in-progress marker to expire (timeout
    # + 10 s); remove them rather than wait. The relay is what is under test.
    redis = job_pool(settings.redis_url)
    try:
        for key in await redis.keys("arq:in-progress:*"):
            await redis.delete(key)
        for _ in range(BURST - BURST // 2):  # committed while nobody relays
            await record_event(db, application, "approved", citizen_id)
        await eventually(lambda: _relay_lock_held(db), seconds=30)
        took_over = time.monotonic() - killed
        await eventually(lambda: _count_distinct(receiver, device, BURST), seconds=60)
        await eventually(lambda: drained(redis), seconds=30)
    finally:
        await redis.aclose()
    received = await _assert_every_notification_once(db, receiver, device, citizen_id)
    print(f"relay taken over {took_over:.1f} s after SIGKILL; {sum(received.values())} received")
