"""Per-client rate limits shared by every API process: the ``limits`` package's moving window
strategy on Redis (one list of hit timestamps per bucket and key, trimmed by a Lua script).

Used where the limit is keyed by something other than the route (per IP for OTP requests,
staff sign-in and public tracking). A bucket is a name plus its limit and window; ``hit``
spends one request of the budget, ``check`` only looks, for budgets that only some outcomes
spend (failed tracking look-ups).
"""

from __future__ import annotations

import math
import time
from typing import Any

from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import ConnectionPool

from api.core.problems import too_many_requests

KEY_PREFIX = "ratelimit"


def client_address(connection: Any) -> str:
    """The caller's address for per-IP limits. uvicorn has already replaced the peer with
    X-Forwarded-For when a trusted proxy (FORWARDED_ALLOW_IPS) sent it."""
    return connection.client.host if connection.client else "unknown"


class RateLimiter:
    """Moving-window limits in Redis. Create it in the app lifespan and ``close`` it there."""

    def __init__(self, redis_url: str, prefix: str = KEY_PREFIX) -> None:
        # Its own pool with the same time-outs as the job pool: a Redis outage is a quick 503.
        self._pool = ConnectionPool.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
        storage = RedisStorage(
            "async+" + redis_url,
            implementation="redispy",
            key_prefix=prefix,
            connection_pool=self._pool,  # type: ignore[arg-type]
        )
        self._limiter = MovingWindowRateLimiter(storage)

    async def close(self) -> None:
        await self._pool.disconnect()

    async def hit(self, bucket: str, key: str, *, limit: int, window_seconds: int) -> None:
        """Count one request; raise a 429 problem once ``limit`` requests fall in the window
        (a refused request is not counted)."""
        item = RateLimitItemPerSecond(limit, window_seconds)
        if not await self._limiter.hit(item, bucket, key):
            raise too_many_requests(await self._retry_after(item, bucket, key))

    async def check(self, bucket: str, key: str, *, limit: int, window_seconds: int) -> None:
        """Raise the 429 problem if ``limit`` hits were already counted in the window, without
        counting this request: for budgets that only some outcomes spend (failed look-ups)."""
        item = RateLimitItemPerSecond(limit, window_seconds)
        if not await self._limiter.test(item, bucket, key):
            raise too_many_requests(await self._retry_after(item, bucket, key))

    async def _retry_after(self, item: RateLimitItemPerSecond, bucket: str, key: str) -> int:
        """Seconds until the oldest counted request leaves the window, i.e. one is free."""
        stats = await self._limiter.get_window_stats(item, bucket, key)
        seconds = math.ceil(stats.reset_time - time.time())
        return min(max(1, seconds), item.get_expiry())
