"""At most a few attempts in flight per endpoint, across every worker process, so one slow or
dead endpoint (each attempt may take the whole 15 s time-out) cannot hold every job slot of
the workers while other agencies' messages wait.

A slot is a member of a Redis sorted set per endpoint, scored by when its lease ends; taking
one first drops expired leases, so a worker killed while holding slots frees them after the
lease (twice the sender's time-out). A job that finds the endpoint's slots taken sends
nothing and asks arq to run it again later (``busy_wait``: growing with how often it found
them taken, with jitter, at most ``BUSY_WAIT_MAX_SECONDS``); it makes no attempt, so the
message's attempt count and schedule are untouched.
"""

from __future__ import annotations

import random
import uuid

from redis.asyncio import Redis

SLOTS_PER_ENDPOINT = 4
BUSY_WAIT_BASE_SECONDS = 1.0
BUSY_WAIT_MAX_SECONDS = 30.0

# KEYS[1] the endpoint's set; ARGV: holder, slots, lease (ms). Redis's own clock, so the
# workers' clocks do not matter.
_TAKE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
    redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[3]), ARGV[1])
    return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
    return 0
end
redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""

KEY_PREFIX = "webhook:slots:"


def slots_key(endpoint_id: uuid.UUID) -> str:
    return f"{KEY_PREFIX}{endpoint_id}"


class EndpointSlots:
    def __init__(self, redis: Redis, *, per_endpoint: int, lease_seconds: float) -> None:
        if per_endpoint < 1:
            raise ValueError("an endpoint needs at least one slot")
        self._redis = redis
        self.per_endpoint = per_endpoint
        self._lease_ms = max(1, int(lease_seconds * 1000))

    async def take(self, endpoint_id: uuid.UUID, holder: str) -> bool:
        """Take a slot of the endpoint for ``holder`` (a job); False when all are taken."""
        taken = await self._redis.eval(  # type: ignore[misc]
            _TAKE, 1, slots_key(endpoint_id), holder, str(self.per_endpoint), str(self._lease_ms)
        )
        return bool(taken)

    async def give_back(self, endpoint_id: uuid.UUID, holder: str) -> None:
        await self._redis.zrem(slots_key(endpoint_id), holder)


def busy_wait(times_found_busy: int, *, base: float = BUSY_WAIT_BASE_SECONDS) -> float:
    """Seconds before a job that found its endpoint busy looks again: doubling from ``base``
    with each try (jitter: between half and all of it), at most ``BUSY_WAIT_MAX_SECONDS`` so a
    long backlog of a slow endpoint costs the queue a few look-ups a second, not thousands."""
    ceiling = min(BUSY_WAIT_MAX_SECONDS, base * 2 ** min(max(times_found_busy - 1, 0), 10))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not a secret
