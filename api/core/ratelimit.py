"""Fixed-window counters in Redis, shared by every API process.

Used where the limit is keyed by something other than the route (per IP for OTP requests
and public tracking); the window is short, so the fixed-window burst at edges is acceptable.
"""

from __future__ import annotations

from typing import Any

from api.core.problems import too_many_requests

_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""

_PEEK = """
return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('TTL', KEYS[1])}
"""


def client_address(connection: Any) -> str:
    """The caller's address for per-IP limits. uvicorn has already replaced the peer with
    X-Forwarded-For when a trusted proxy (FORWARDED_ALLOW_IPS) sent it."""
    return connection.client.host if connection.client else "unknown"


class RateLimiter:
    def __init__(self, redis: Any, prefix: str = "ratelimit") -> None:
        self._redis = redis
        self._prefix = prefix

    async def hit(self, bucket: str, key: str, *, limit: int, window_seconds: int) -> None:
        """Count one request; raise a 429 problem once ``limit`` is exceeded in the window."""
        count, ttl = await self._redis.eval(
            _INCREMENT, 1, f"{self._prefix}:{bucket}:{key}", window_seconds
        )
        if int(count) > limit:
            raise too_many_requests(int(ttl) if int(ttl) > 0 else window_seconds)

    async def check(self, bucket: str, key: str, *, limit: int, window_seconds: int) -> None:
        """Raise the 429 problem if ``limit`` hits were already counted in the window, without
        counting this request: for budgets that only some outcomes spend (failed look-ups)."""
        count, ttl = await self._redis.eval(_PEEK, 1, f"{self._prefix}:{bucket}:{key}")
        if int(count) >= limit:
            raise too_many_requests(int(ttl) if int(ttl) > 0 else window_seconds)
