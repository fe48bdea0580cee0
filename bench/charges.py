"""CPU time per rate-limit charge (api/core/ratelimit.py) against the real Redis, alone and with
concurrent charges that share a script: what one public tracking look-up pays for its budgets.

    .venv/bin/python bench/charges.py [--charges 6000] [--concurrency 1 4 16]

Each charge is the one a tracking look-up makes (the general budget spent, the failed-look-up
budget looked at), over 50 client addresses, in a throw-away Redis database (BENCH_REDIS_URL,
default db 13), which is emptied before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import redis.asyncio
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.core.ratelimit import Budget, RateLimiter

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
ADDRESSES = 50


async def measure(concurrency: int, charges: int) -> tuple[float, float]:
    """(CPU µs per charge in this process, charges per second)."""
    limiter = RateLimiter(REDIS_URL)

    async def client(number: int, count: int) -> None:
        address = f"10.0.0.{number % ADDRESSES}"
        for _ in range(count):
            await limiter.charge(
                Budget("bench-track-ip", address, 1_000_000_000, 60),
                Budget("bench-track-miss-ip", address, 10, 600, spend=False),
            )
            await asyncio.sleep(0)  # as a server would: other requests run in between

    try:
        await client(0, 10)  # connection and script loaded
        per_client = charges // concurrency
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(client(n, per_client) for n in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        done = per_client * concurrency
        return 1e6 * cpu / done, done / wall
    finally:
        await limiter.close()


async def empty_database() -> None:
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--charges", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    uvloop.run(empty_database())
    try:
        for concurrency in args.concurrency:
            cpu_us, rate = uvloop.run(measure(concurrency, args.charges))
            print(
                f"{concurrency:3} concurrent: {cpu_us:6.1f} µs CPU per charge, "
                f"{rate:7.0f} charges/s"
            )
    finally:
        uvloop.run(empty_database())


if __name__ == "__main__":
    main()
