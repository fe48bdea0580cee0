"""Per-client rate limits shared by every API process: the ``limits`` package's moving window
strategy on Redis (one list of hit timestamps per bucket and key, trimmed by a Lua script).

Used where the limit is keyed by something other than the route (per IP for OTP requests,
staff sign-in and public tracking). A bucket is a name plus its limit and window; ``hit``
spends one request of the budget, ``check`` only looks, for budgets that only some outcomes
spend (failed tracking look-ups). ``charge`` does several of both in one Redis round trip (one
Lua script over the same lists, so it and ``hit``/``check`` count together): a hot route pays
one round trip for all its budgets.
"""

from __future__ import annotations

import math
import time
from typing import Any

import msgspec
from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import ConnectionPool, Redis

from api.core.problems import too_many_requests

KEY_PREFIX = "ratelimit"


# The moving window of ``limits`` (acquire_moving_window.lua) over several lists at once: every
# budget is looked at first; only if none is used up are the spending ones spent. KEYS: the
# lists; ARGV: now, then limit, window seconds and amount (0 = only look) per list. Returns the
# 1-based position of the first used-up budget, or 0.
_CHARGE = """
local now = tonumber(ARGV[1])
for i = 1, #KEYS do
    local limit = tonumber(ARGV[3 * i - 1])
    local expiry = tonumber(ARGV[3 * i])
    local amount = math.max(tonumber(ARGV[3 * i + 1]), 1)
    local entry = redis.call('lindex', KEYS[i], limit - amount)
    if amount > limit or (entry and tonumber(entry) >= now - expiry) then
        return i
    end
end
for i = 1, #KEYS do
    local amount = tonumber(ARGV[3 * i + 1])
    if amount > 0 then
        local limit = tonumber(ARGV[3 * i - 1])
        for _ = 1, amount do
            redis.call('lpush', KEYS[i], now)
        end
        redis.call('ltrim', KEYS[i], 0, limit - 1)
        redis.call('expire', KEYS[i], tonumber(ARGV[3 * i]))
    end
end
return 0
"""


class Budget(msgspec.Struct, frozen=True):
    """One budget for ``RateLimiter.charge``: ``spend`` False only looks (like ``check``)."""

    bucket: str
    key: str
    limit: int
    window_seconds: int
    spend: bool = True


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
        self._prefix = prefix
        self._charge = Redis(connection_pool=self._pool).register_script(_CHARGE)

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

    async def charge(self, *budgets: Budget) -> None:
        """``hit`` the spending budgets and ``check`` the others, in one round trip: raise the
        429 problem for the first one used up (then nothing is spent)."""
        keys, args = [], [time.time()]
        for budget in budgets:
            item = RateLimitItemPerSecond(budget.limit, budget.window_seconds)
            keys.append(f"{self._prefix}:{item.key_for(budget.bucket, budget.key)}")
            args += [budget.limit, item.get_expiry(), 1 if budget.spend else 0]
        refused = int(await self._charge(keys=keys, args=args))
        if refused:
            budget = budgets[refused - 1]
            item = RateLimitItemPerSecond(budget.limit, budget.window_seconds)
            raise too_many_requests(await self._retry_after(item, budget.bucket, budget.key))

    async def _retry_after(self, item: RateLimitItemPerSecond, bucket: str, key: str) -> int:
        """Seconds until the oldest counted request leaves the window, i.e. one is free."""
        stats = await self._limiter.get_window_stats(item, bucket, key)
        seconds = math.ceil(stats.reset_time - time.time())
        return min(max(1, seconds), item.get_expiry())
