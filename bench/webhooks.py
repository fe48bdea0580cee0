"""Webhook benchmark: how long ``--messages`` (10,000) queued deliveries take to drain to a
healthy endpoint, alone and with a dead endpoint subscribed to the same events (the healthy
one must not wait for the dead one), beside the loopback receiver's own ceiling measured in
the same run; Standard Webhooks signing included.

    .venv/bin/python bench/webhooks.py [--messages 10000] [--seconds 3] [--limit 300]

It creates a throw-away database, starts a loopback receiver (an aiohttp server in its own
process answering 200 at once and counting arrivals per path, without verifying: the tests
verify every signature; here the sender is measured) and a dead one (accepts connections and
never answers, so each attempt lasts the sender's whole 15 s time-out). The delivery jobs are
queued first, as the relay's fan-out queues them, then one production worker
(``python -m workers --burst``) drains them.

  1. the receiver's ceiling: a tight aiohttp client posting a webhook-sized body;
  2. one healthy endpoint: the drain time (worker start to last arrival), deliveries/s from
     the first arrival to the last, and the worker's CPU time per delivery;
  3. the same with a dead endpoint subscribed too: the healthy endpoint's drain, and how many
     times the dead endpoint's waiting jobs ran meanwhile (api/webhooks/endpoint_slots.py
     gives each a turn paced by its attempt time).
Each drain is watched for at most ``--limit`` seconds (on a busy shared machine 10,000 may
not finish: the line then says how many arrived). Redis database 11 (``BENCH_REDIS_URL``) is
flushed first. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.core.jobs import job_pool  # noqa: E402
from api.migrate import migrate  # noqa: E402
from api.webhooks.fanout import enqueue_webhook_deliveries  # noqa: E402
from api.webhooks.signing_secrets import SecretBox, new_signing_secret  # noqa: E402
from bench.processes import cpu_seconds  # noqa: E402
from bench.push import post_ceiling, record_event  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.support import citizen, draft_application  # noqa: E402

ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
BODY = os.urandom(900)  # about the size of a signed application event


# ----- the loopback receiver (run with --serve PORT) ----------------------------------------


def serve(port: int) -> None:
    counts: dict[str, int] = {}
    first: dict[str, float] = {}
    last: dict[str, float] = {}

    async def hook(request: web.Request) -> web.Response:
        await request.read()
        now = time.time()
        counts[request.path] = counts.get(request.path, 0) + 1
        first.setdefault(request.path, now)
        last[request.path] = now
        return web.Response(status=200, text="ok")

    async def stats(request: web.Request) -> web.Response:
        path = request.query["path"]
        return web.json_response(
            {"count": counts.get(path, 0), "first": first.get(path), "last": last.get(path)}
        )

    app = web.Application()
    app.router.add_post("/hooks/{name}", hook)
    app.router.add_get("/stats", stats)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


class DeadReceiver:
    """Accepts connections and never answers."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(1024)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/hooks/dead"

    def close(self) -> None:
        self._socket.close()


# ----- figures ----------------------------------------------------------------------------


async def add_endpoint(conn: asyncpg.Connection, box: SecretBox, url: str) -> None:
    agency = await conn.fetchval("SELECT agency_code FROM units WHERE code = '00004'")
    await conn.execute(
        "INSERT INTO webhook_endpoints (agency_code, url, event_types, sealed_secret)"
        " VALUES ($1, $2, $3, $4)",
        agency,
        url,
        ["application.approved"],
        box.seal(new_signing_secret()),
    )


async def queue_events(conn: asyncpg.Connection, settings_key: str, messages: int) -> None:
    """``messages`` approved events of one application, each fanned out as the relay does."""
    from api.settings import Settings

    settings = Settings(app_env="test", database_url="", secret_key=settings_key)
    citizen_id, _ = await citizen(conn, settings)
    application_id = await draft_application(conn, citizen_id)
    redis = job_pool(REDIS_URL)
    try:
        for _ in range(messages):
            event_id = await record_event(conn, application_id, citizen_id)
            row = await conn.fetchrow(
                "SELECT id, application_id, type, payload FROM events WHERE id = $1", event_id
            )
            await enqueue_webhook_deliveries(conn, redis, row)
    finally:
        await redis.aclose()


def start_worker(dsn: str, secret_key: str, *, quiet: bool = False) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secret_key,
        "LOG_LEVEL": "ERROR",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "workers", "--burst"],
        cwd=ROOT,
        env=env,
        # Stopped while the dead endpoint's attempts hang: its cancelled jobs say so at length.
        stderr=subprocess.DEVNULL if quiet else None,
    )


@dataclass(frozen=True)
class Drained:
    count: int
    seconds: float  # from the worker's start to the last arrival
    rate: float  # from the first arrival to the last
    cpu_per_delivery: float

    def line(self, label: str, messages: int) -> str:
        done = "drained" if self.count >= messages else f"NOT drained: {self.count} arrived"
        return (
            f"{label:<44} {self.rate:9.1f}/s   {messages} queued, {done} in"
            f" {self.seconds:.1f} s; {self.cpu_per_delivery * 1000:.2f} ms worker CPU each"
        )


async def drain(
    origin: str, path: str, messages: int, worker: subprocess.Popen[bytes], limit: float
) -> Drained:
    """Watch ``path`` until ``messages`` arrived there or ``limit`` seconds passed since the
    worker started."""
    started = time.time()
    async with aiohttp.ClientSession() as http:

        async def stats() -> dict[str, float]:
            async with http.get(f"{origin}/stats", params={"path": path}) as response:
                data: dict[str, float] = await response.json()
                return data

        cpu_before = cpu_seconds(worker.pid)
        # Polling another process's counter over HTTP: nothing here to wait on instead.
        while (current := await stats())["count"] < messages:
            if time.time() - started > limit:
                break
            await asyncio.sleep(0.05)
        cpu = cpu_seconds(worker.pid) - cpu_before
    count = int(current["count"])
    span = (current["last"] - current["first"]) if count > 1 else 0.0
    return Drained(
        count=count,
        seconds=(current["last"] or time.time()) - started if count else time.time() - started,
        rate=(count - 1) / span if span else 0.0,
        cpu_per_delivery=cpu / max(1, count),
    )


async def dead_looks(redis_url: str) -> int:
    """How many times the dead endpoint's jobs ran (arq's try counters of the jobs still
    waiting; a finished job's counter is gone)."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    try:
        total = 0
        async for key in client.scan_iter(match="arq:retry:webhook:*", count=1000):
            total += int(await client.get(key) or 0)
        return total
    finally:
        await client.aclose()


async def run(args: argparse.Namespace, dsn: str, secret_key: str, origin: str) -> None:
    ceiling = await post_ceiling(f"{origin}/hooks/ceiling", BODY, args.seconds)
    box = SecretBox(secret_key)
    conn = await asyncpg.connect(dsn)
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores; load average {os.getloadavg()[0]:.1f} (other work on it)")
    print(f"{'receiver ceiling (no verify)':<44} {ceiling:9.1f}/s requests")
    try:
        await add_endpoint(conn, box, f"{origin}/hooks/alone")
        await queue_events(conn, secret_key, args.messages)
        worker = start_worker(dsn, secret_key)
        try:
            alone = await drain(origin, "/hooks/alone", args.messages, worker, args.limit)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        print(alone.line("deliveries, 1 worker, 1 endpoint", args.messages))

        await conn.execute(
            "UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'manual'"
        )
        dead = DeadReceiver()
        await add_endpoint(conn, box, f"{origin}/hooks/beside-dead")
        await add_endpoint(conn, box, dead.url)
        await queue_events(conn, secret_key, args.messages)
        worker = start_worker(dsn, secret_key, quiet=True)
        try:
            beside = await drain(origin, "/hooks/beside-dead", args.messages, worker, args.limit)
            looks = await dead_looks(REDIS_URL)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            dead.close()
        print(beside.line("deliveries, healthy endpoint beside a dead", args.messages))
        print(
            f"{'':<44} the dead endpoint's {args.messages} jobs ran {looks} times meanwhile"
            f" (each attempt of it waits the 15 s time-out; 4 in flight at most)"
        )
        print(
            f"goal: beside a dead endpoint the healthy one keeps its rate"
            f" ({beside.rate / alone.rate:.0%} of it alone here)"
            if alone.rate
            else "goal: beside a dead endpoint the healthy one keeps its rate"
        )
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=3.0, help="receiver ceiling run")
    parser.add_argument(
        "--limit", type=float, default=300.0, help="longest wait for one drain, seconds"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    name = f"motcua_hookbench_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    asyncio.run(migrate(dsn))
    secret_key = "bench-secret-" + uuid.uuid4().hex
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    service = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], cwd=ROOT)
    try:
        _wait_alive(origin)
        asyncio.run(run(args, dsn, secret_key, origin))
    finally:
        service.terminate()
        service.wait(timeout=10)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False
        )


def _wait_alive(origin: str) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{origin}/stats", params={"path": "/"}, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the receiver did not start")


if __name__ == "__main__":
    main()
