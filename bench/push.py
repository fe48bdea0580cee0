"""Web Push benchmark: pushes per second per worker process (encryption and signing included)
to a loopback push service, beside the machine's core count and that service's own ceiling,
and the delay from an event's commit to the push arriving with an idle queue.

    .venv/bin/python bench/push.py [--pushes 2000] [--latency-samples 40] [--seconds 3]

It creates a throw-away database, starts a loopback push service (an aiohttp server in its own
process that answers 201 at once and records when each message arrived, without decrypting:
tests/push_receiver.py checks the messages; here the sender is measured), and one worker
(``python -m workers``, the production worker with its outbox relay) in another process.

  1. the push service's ceiling: a tight aiohttp client posting a ciphertext-sized body;
  2. throughput: one event for a citizen with ``--pushes`` devices, through the worker's relay,
     fan-out and push jobs; pushes/s = devices / time from the commit to the last delivery row;
  3. latency: events committed one at a time (the worker idle in between), each for a citizen
     with one device: commit → the push service received it (LISTEN/NOTIFY wakes the relay,
     then the fan-out and push jobs run).
Redis database 11 (``BENCH_REDIS_URL``) is flushed first. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import aiohttp
import asyncpg
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.clients.webpush import b64url  # noqa: E402
from api.core.outbox import wake_relay  # noqa: E402
from api.migrate import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.processes import cpu_seconds  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.support import citizen, draft_application  # noqa: E402

ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
LATENCY_TIMEOUT_SECONDS = 10.0
BODY = os.urandom(260)  # about the size of an encrypted notification


# ----- the loopback push service (run with --serve PORT) ------------------------------------


def serve(port: int) -> None:
    arrivals: dict[str, float] = {}

    async def push(request: web.Request) -> web.Response:
        await request.read()
        arrivals[request.path] = time.time()
        return web.Response(status=201)

    async def stats(request: web.Request) -> web.Response:
        wanted = request.query.get("path")
        return web.json_response(
            {"count": len(arrivals), "at": arrivals.get(wanted) if wanted else None}
        )

    app = web.Application()
    app.router.add_post("/push/{id}", push)
    app.router.add_get("/stats", stats)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# ----- figures ----------------------------------------------------------------------------


async def post_ceiling(url: str, body: bytes, seconds: float, concurrency: int = 32) -> float:
    """Requests per second a loopback receiver answers at ``url`` from a tight client: the
    ceiling the delivery figures are read against (bench/webhooks.py uses it too)."""
    count = 0
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as http:

        async def hammer() -> None:
            nonlocal count
            while time.monotonic() < deadline:
                async with http.post(url, data=body) as response:
                    await response.read()
                count += 1

        started = time.monotonic()
        await asyncio.gather(*(hammer() for _ in range(concurrency)))
        return count / (time.monotonic() - started)


def device_keys() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point), b64url(os.urandom(16))


async def subscribe(conn: asyncpg.Connection, origin: str, citizen_id: uuid.UUID) -> str:
    p256dh, auth = device_keys()
    path = f"/push/{uuid.uuid4().hex}"
    await conn.execute(
        "INSERT INTO push_subscriptions (endpoint, p256dh, auth, citizen_id)"
        " VALUES ($1, $2, $3, $4)",
        origin + path,
        p256dh,
        auth,
        citizen_id,
    )
    return path


async def record_event(
    conn: asyncpg.Connection, application_id: uuid.UUID, citizen_id: uuid.UUID
) -> uuid.UUID:
    """An outbox event as processing writes it (an officer approved the application)."""
    payload = {
        "application_id": str(application_id),
        "receipt_code": "00004-261130-0001-BEN",
        "procedure_code": "CHT-BANSAO",
        "citizen_id": str(citizen_id),
        "unit_code": "00004",
        "channel": "online",
        "from_status": "processing",
        "to_status": "approved",
        "version": 2,
        "actor_kind": "staff",
        "actor_role": "officer",
        "occurred_at": "2026-11-30T00:00:00+00:00",
        "due_date": None,
        "note": None,
    }
    event_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO events (application_id, seq, type, payload) VALUES ($1,"
        " (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE application_id = $1),"
        " 'application.approved', $2) RETURNING id",
        application_id,
        payload,
    )
    await wake_relay(conn)  # as the API does after a commit that wrote events
    return event_id


async def throughput(
    conn: asyncpg.Connection, settings: Settings, origin: str, pushes: int
) -> float:
    """One event for a citizen with ``pushes`` devices: the worker's relay, fan-out and push
    jobs do everything; pushes/s from the commit to the last delivery row."""
    citizen_id, _ = await citizen(conn, settings)
    application_id = await draft_application(conn, citizen_id)
    for _ in range(pushes):
        await subscribe(conn, origin, citizen_id)
    started = time.monotonic()
    event_id = await record_event(conn, application_id, citizen_id)
    count_sql = (
        "SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id"
        " WHERE n.event_id = $1 AND d.channel = 'push'"
    )
    done = 0
    while done < pushes:
        await asyncio.sleep(0.05)
        done = await conn.fetchval(count_sql, event_id)
    elapsed = time.monotonic() - started
    delivered = await conn.fetchval(count_sql + " AND d.status = 'delivered'", event_id)
    assert delivered == pushes, f"{delivered} of {pushes} delivered"
    return pushes / elapsed


# The oldest open transaction with an xid anywhere in the cluster: the change feed's
# watermark (pg_snapshot_xmin) does not pass it, so the relay waits for it (by design).
_OLDEST_TRANSACTION = """
SELECT coalesce(extract(epoch FROM max(now() - xact_start)), 0)
FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
"""


async def latency(
    conn: asyncpg.Connection, settings: Settings, origin: str, samples: int
) -> tuple[list[float], float]:
    """Commit → arrival per event, and the oldest open transaction in the cluster seen while
    a push was over 1 s late (other databases' transactions count too)."""
    citizen_id, _ = await citizen(conn, settings)
    path = await subscribe(conn, origin, citizen_id)
    latencies = []
    oldest_seen = 0.0
    worst = (0.0, 0.0)
    async with aiohttp.ClientSession() as http:
        for _ in range(samples):
            application_id = await draft_application(conn, citizen_id)
            event_id = await record_event(conn, application_id, citizen_id)
            committed = time.time()
            arrived = None
            deadline = time.monotonic() + LATENCY_TIMEOUT_SECONDS
            while (arrived is None or arrived < committed) and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
                if time.time() - committed > 1:
                    oldest_seen = max(oldest_seen, await conn.fetchval(_OLDEST_TRANSACTION))
                async with http.get(f"{origin}/stats", params={"path": path}) as response:
                    arrived = (await response.json())["at"]
            # Not there in time: counted at the timeout (a long transaction elsewhere in the
            # cluster holds the change feed back; the relay waits for it, by design).
            late = arrived is None or arrived < committed
            latencies.append(LATENCY_TIMEOUT_SECONDS if late else arrived - committed)
            if not late and arrived - committed >= max(worst[0], 1.0):
                # Where the time went: commit → the fan-out made the notification → arrival.
                fanned = await conn.fetchval(
                    "SELECT extract(epoch FROM created_at) FROM notifications WHERE event_id = $1",
                    event_id,
                )
                worst = (arrived - committed, float(fanned) - committed)
            await asyncio.sleep(0.3)  # let the queue go idle
    if worst[0]:
        print(
            f"{'slowest push over 1 s':<40} {worst[0] * 1000:.0f} ms: the fan-out job started"
            f" {worst[1] * 1000:.0f} ms after the commit (relay + queue), the rest in the push job"
        )
    return latencies, float(oldest_seen)


def _wait_alive(origin: str) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{origin}/stats", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the push service did not start")


async def _relay_ready(conn: asyncpg.Connection) -> None:
    deadline = time.monotonic() + 30
    while not await conn.fetchval("SELECT count(*) FROM relay_cursors"):
        assert time.monotonic() < deadline, "the worker's relay did not start"
        await asyncio.sleep(0.1)


async def run(
    args: argparse.Namespace, dsn: str, settings: Settings, origin: str, worker_pid: int
) -> None:
    ceiling = await post_ceiling(f"{origin}/push/ceiling", BODY, args.seconds)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.set_type_codec(
            "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
        await _relay_ready(conn)
        cpu_before = cpu_seconds(worker_pid)
        rate = await throughput(conn, settings, origin, args.pushes)
        cpu = cpu_seconds(worker_pid) - cpu_before
        cores = os.cpu_count() or 1
        load = os.getloadavg()[0]
        print(f"machine: {cores} cores; load average {load:.1f} (other work on the machine)")
        print(f"{'push service ceiling (no decrypt)':<40} {ceiling:9.1f}/s requests")
        print(
            f"{'pushes, 1 worker process':<40} {rate:9.1f}/s   "
            f"(one event to {args.pushes} devices; one process uses one core at most)"
        )
        print(
            f"{'pushes per CPU-second of the worker':<40} {args.pushes / cpu:9.1f}/s   "
            f"({cpu:.2f} s CPU for {args.pushes}: what one free core would do)"
        )
        samples, oldest = await latency(conn, settings, origin, args.latency_samples)
        q = statistics.quantiles(samples, n=100, method="inclusive")
        print(
            f"{'event commit → push received':<40} p50 {q[49] * 1000:6.1f} ms"
            f"   p95 {q[94] * 1000:6.1f} ms   max {max(samples) * 1000:6.1f} ms"
            f"   ({len(samples)} events, idle queue;"
            f" {sum(x >= LATENCY_TIMEOUT_SECONDS for x in samples)} over 10 s)"
        )
        if oldest:
            print(
                f"{'':<40} while a push was late, the oldest open transaction in the"
                f" cluster was {oldest:.1f} s old (the change feed waits for it)"
            )
        print("goal: ≥ 300 pushes/s per core; p95 < 1 s")
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pushes", type=int, default=2000)
    parser.add_argument("--latency-samples", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    name = f"motcua_pushbench_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    asyncio.run(migrate(dsn))
    settings = Settings(
        app_env="test",
        database_url=dsn,
        redis_url=REDIS_URL,
        secret_key="bench-secret-" + uuid.uuid4().hex,
        log_level="WARNING",
    )
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    service = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], cwd=ROOT)
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen([sys.executable, "-m", "workers"], cwd=ROOT, env=env)
    try:
        _wait_alive(origin)
        asyncio.run(run(args, dsn, settings, origin, worker.pid))
    finally:
        for process in (worker, service):
            process.terminate()
            process.wait(timeout=10)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False
        )


if __name__ == "__main__":
    main()
