"""Benchmarks: print figures beside the machine's own PostgreSQL limit measured in the same run.

    .venv/bin/python bench/run.py [--seconds 10] [--concurrency 16]

It creates a throw-away database, serves the API with uvicorn on a free loopback port (moto's
S3 server on another), and measures:
  1. pgbench select-only TPS (the machine's ceiling for trivial queries),
  2. catalogue search over HTTP (requests/s, p50/p95/p99 latency),
  3. receipt-number allocation in PostgreSQL (allocations/s from concurrent connections),
  4. submitting applications over HTTP (create + submit, the citizen's critical path).
Only loopback addresses are used; every loop is bounded by time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import asyncpg
import httpx
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.applications.receipts import allocate_receipt_numbers  # noqa: E402
from api.core.db import connect  # noqa: E402
from api.settings import Settings  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.support import citizen  # noqa: E402

ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MAX_REQUESTS = 200_000
CERTIFIED_COPY_FORM = {
    "document_name": "Bằng tốt nghiệp trung học phổ thông",
    "issued_by": "vietnam",
    "page_count": 1,
    "copy_count": 2,
}


def pgbench_select_only(dsn_db: str, seconds: int, clients: int) -> float:
    base = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(
        ["pgbench", *base, "-i", "-q", "-s", "1", dsn_db], check=True, capture_output=True
    )
    out = subprocess.run(
        ["pgbench", *base, "-S", "-c", str(clients), "-j", "2", "-T", str(seconds), dsn_db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    return float(match.group(1)) if match else 0.0


async def drive(
    call: Callable[[], Awaitable[None]], seconds: float, concurrency: int
) -> tuple[int, list[float]]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < deadline and len(latencies) < MAX_REQUESTS:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies), latencies


def report(name: str, count: int, latencies: list[float], seconds: float) -> None:
    if not latencies:
        print(f"{name:<34} no samples")
        return
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<34} {count / seconds:9.1f}/s   p50 {q[49] * 1000:6.1f} ms"
        f"   p95 {q[94] * 1000:6.1f} ms   p99 {q[98] * 1000:6.1f} ms"
    )


async def bench(
    seconds: int, concurrency: int, dsn: str, settings: Settings, base_url: str
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:

        async def search() -> None:
            response = await client.get("/api/v1/procedures", params={"q": "dang ky khai sinh"})
            response.raise_for_status()

        count, latencies = await drive(search, seconds, concurrency)
        report("catalogue search (HTTP)", count, latencies, seconds)

        pool = await asyncpg.create_pool(dsn, min_size=concurrency, max_size=concurrency)
        assert pool is not None
        today = date.today()

        async def allocate() -> None:
            async with pool.acquire() as conn, conn.transaction():
                await allocate_receipt_numbers(conn, "00004", today, 1)

        # One unit and day: the worst case, every allocation contends on one counter row.
        await pool.execute("DELETE FROM receipt_counters")
        count, latencies = await drive(allocate, min(seconds, 3), concurrency)
        report("receipt allocation, one unit (SQL)", count, latencies, min(seconds, 3))
        await pool.close()

        conn = await connect(dsn)
        people = [await citizen(conn, settings) for _ in range(concurrency)]
        await conn.close()
        await _bench_submit(client, people, seconds, concurrency)


async def _bench_submit(
    client: httpx.AsyncClient,
    people: list[tuple[uuid.UUID, dict[str, str]]],
    seconds: int,
    concurrency: int,
) -> None:
    # Certified copy: a commune procedure; the bench marks its document stored directly.
    procedure = (await client.get("/api/v1/procedures/CHT-BANSAO")).json()
    documents = [d["code"] for d in procedure["required_documents"] if d["required"]]
    next_person = iter(range(MAX_REQUESTS))
    dsn = os.environ["BENCH_DSN"]
    conn_pool = await asyncpg.create_pool(dsn, min_size=2, max_size=concurrency)
    assert conn_pool is not None

    async def create_and_submit() -> None:
        _, headers = people[next(next_person) % len(people)]
        created = await client.post(
            "/api/v1/applications",
            json={"procedure_code": "CHT-BANSAO", "form": CERTIFIED_COPY_FORM},
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        created.raise_for_status()
        application_id = created.json()["id"]
        for requirement in documents:
            await conn_pool.execute(
                "INSERT INTO application_documents (application_id, kind, requirement, object_key,"
                " declared_content_type, declared_size, declared_sha256, status, content_type,"
                " size, sha256, upload_expires_at, uploaded_by_kind, uploaded_by_id)"
                " VALUES ($1, 'input', $2, $3, 'application/pdf', 1, repeat('0', 64), 'stored',"
                " 'application/pdf', 1, repeat('0', 64), now(), 'citizen', gen_random_uuid())",
                uuid.UUID(application_id),
                requirement,
                f"bench/{uuid.uuid4()}",
            )
        submitted = await client.post(
            f"/api/v1/applications/{application_id}/submit", headers=headers
        )
        if submitted.status_code != 200:
            raise RuntimeError(submitted.text)

    count, latencies = await drive(create_and_submit, seconds, concurrency)
    report("create + submit application (HTTP)", count, latencies, seconds)
    await conn_pool.close()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the API did not become healthy at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    name = f"motcua_bench_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    os.environ["BENCH_DSN"] = dsn
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    s3 = f"http://127.0.0.1:{moto._port}"
    settings = Settings(
        app_env="test",
        database_url=dsn,
        redis_url="redis://127.0.0.1:6379/12",
        s3_endpoint=s3,
        s3_public_endpoint=s3,
        secret_key="bench-secret-" + uuid.uuid4().hex,
    )
    port = free_port()
    # The API runs in its own process so the load generator does not share its interpreter.
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REDIS_URL": settings.redis_url,
        "S3_ENDPOINT": s3,
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": "WARNING",
        "DB_POOL_MAX": "20",
        "PORT": str(port),
    }
    server = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env)
    try:
        _wait_for(f"http://127.0.0.1:{port}/health")
        print(f"machine: {os.cpu_count()} cores; {args.seconds} s per figure")
        print(f"{'API process memory at start':<34} {_rss_mib(server.pid):9.1f} MiB RSS")
        tps = pgbench_select_only(name, args.seconds, args.concurrency)
        print(f"{'pgbench -S (machine ceiling)':<34} {tps:9.1f}/s transactions")
        asyncio.run(
            bench(args.seconds, args.concurrency, dsn, settings, f"http://127.0.0.1:{port}")
        )
        print(f"{'API process memory after load':<34} {_rss_mib(server.pid):9.1f} MiB RSS")
    finally:
        server.terminate()
        server.wait(timeout=10)
        moto.stop()
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False
        )


if __name__ == "__main__":
    main()
