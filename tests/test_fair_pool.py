"""The API's connections go to requests in the order they asked (api/core/db.py, FairPool),
against the real PostgreSQL."""

from __future__ import annotations

import asyncio

from api.core.db import FairPool, create_pool
from api.settings import Settings


async def test_connections_go_in_the_order_asked_and_a_cancelled_wait_passes_its_turn(
    settings: Settings,
) -> None:
    pool = FairPool(await create_pool(settings.database_url, min_size=1, max_size=1))
    served: list[str] = []

    async def ask(name: str, go: asyncio.Event | None = None) -> None:
        if go is not None:
            await go.wait()
        async with pool.acquire() as conn:
            served.append(name)
            assert await conn.fetchval("SELECT 1") == 1

    try:
        held = await pool.take()
        waiting = [asyncio.create_task(ask(f"waiter {n}")) for n in range(4)]
        await asyncio.sleep(0.05)
        waiting[1].cancel()  # gave up (a client went away): the next in line takes its turn
        # A newcomer ready to run at the very moment of the release still queues behind them.
        go = asyncio.Event()
        newcomer = asyncio.create_task(ask("newcomer", go))
        await asyncio.sleep(0)
        go.set()
        await pool.release(held)
        await asyncio.wait_for(asyncio.gather(*waiting, newcomer, return_exceptions=True), 10)
        assert served == ["waiter 0", "waiter 2", "waiter 3", "newcomer"]
        # Every turn came back: the one connection can be taken again at once.
        async with asyncio.timeout(1), pool.acquire() as conn:
            assert await conn.fetchval("SELECT 2") == 2
    finally:
        await pool.close()
