"""At most a few attempts in flight per endpoint, across every worker process, so one slow or
dead endpoint (each attempt may take the whole 15 s time-out) cannot hold every job slot of
the workers while other agencies' messages wait.

A slot is a member of a Redis sorted set per endpoint, scored by when its lease ends; taking
one first drops expired leases, so a worker killed while holding slots frees them after the
lease (twice the sender's time-out). Giving a slot back records how long it was held: the
endpoint's attempt time (a moving average, in a Redis hash beside the set).

A job that finds the endpoint's slots taken sends nothing (no attempt: the message's attempt
count and schedule are untouched) and is given a turn: the endpoint's "next turn at" time
moves on by one attempt time shared among its slots (15 s / 4 for a dead endpoint), and the
job comes back then. So a backlog waiting on a slow endpoint costs the workers about one look
per freed slot, not one per job every few seconds. Before any attempt has finished, the
attempt time is taken as the age of the oldest attempt in flight (at least
``first_estimate``). Turns reach at most ``TURN_HORIZON_SECONDS`` ahead; a job beyond that
comes back at a random time within the horizon (its second half) and asks again.
"""

from __future__ import annotations

import random
import uuid

from redis.asyncio import Redis

SLOTS_PER_ENDPOINT = 4
# The attempt time assumed before any attempt of the endpoint was measured.
FIRST_ESTIMATE_SECONDS = 1.0
TURN_HORIZON_SECONDS = 900.0
# How long an endpoint's measured attempt time is remembered after its last attempt.
_STATE_TTL_MS = 86_400_000

# KEYS[1] the endpoint's slots, KEYS[2] its state (avg_ms, next_at). ARGV: holder, slots,
# lease (ms), first estimate (ms), horizon (ms), state ttl (ms). Redis's own clock, so the
# workers' clocks do not matter. Returns -1 when the slot is taken, else the ms to wait.
_TAKE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local slots = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
    redis.call('ZADD', KEYS[1], now_ms + lease, ARGV[1])
    return -1
end
if redis.call('ZCARD', KEYS[1]) < slots then
    redis.call('ZADD', KEYS[1], now_ms + lease, ARGV[1])
    redis.call('PEXPIRE', KEYS[1], lease)
    return -1
end
local estimate = tonumber(redis.call('HGET', KEYS[2], 'avg_ms'))
if not estimate then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    estimate = math.max(tonumber(ARGV[4]), now_ms - (tonumber(oldest[2]) - lease))
end
local turn = math.max(now_ms, tonumber(redis.call('HGET', KEYS[2], 'next_at')) or 0)
    + math.max(1, math.floor(estimate / slots))
if turn - now_ms > tonumber(ARGV[5]) then
    return turn - now_ms
end
redis.call('HSET', KEYS[2], 'next_at', turn)
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return turn - now_ms
"""

# KEYS as above; ARGV: holder, lease (ms), state ttl (ms). Folds the time the slot was held
# into the endpoint's attempt time (4/5 the old, 1/5 the new) and frees the slot.
_GIVE_BACK = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then
    return 0
end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local held = math.max(0, now_ms - (tonumber(score) - tonumber(ARGV[2])))
local avg = tonumber(redis.call('HGET', KEYS[2], 'avg_ms'))
if avg then
    avg = math.floor(avg * 0.8 + held * 0.2)
else
    avg = held
end
redis.call('HSET', KEYS[2], 'avg_ms', avg)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""

KEY_PREFIX = "webhook:slots:"
STATE_PREFIX = "webhook:pace:"


def slots_key(endpoint_id: uuid.UUID) -> str:
    return f"{KEY_PREFIX}{endpoint_id}"


def state_key(endpoint_id: uuid.UUID) -> str:
    return f"{STATE_PREFIX}{endpoint_id}"


class EndpointSlots:
    def __init__(
        self,
        redis: Redis,
        *,
        per_endpoint: int,
        lease_seconds: float,
        first_estimate_seconds: float = FIRST_ESTIMATE_SECONDS,
        horizon_seconds: float = TURN_HORIZON_SECONDS,
    ) -> None:
        if per_endpoint < 1:
            raise ValueError("an endpoint needs at least one slot")
        self._redis = redis
        self.per_endpoint = per_endpoint
        self._lease_ms = max(1, int(lease_seconds * 1000))
        self._first_ms = max(1, int(first_estimate_seconds * 1000))
        self._horizon_ms = max(1, int(horizon_seconds * 1000))

    async def take(self, endpoint_id: uuid.UUID, holder: str) -> float | None:
        """Take a slot of the endpoint for ``holder`` (a job): None when taken, else the
        seconds until the job's turn to look again."""
        wait_ms = await self._redis.eval(  # type: ignore[misc]
            _TAKE,
            2,
            slots_key(endpoint_id),
            state_key(endpoint_id),
            holder,
            str(self.per_endpoint),
            str(self._lease_ms),
            str(self._first_ms),
            str(self._horizon_ms),
            str(_STATE_TTL_MS),
        )
        wait = int(wait_ms)
        if wait < 0:
            return None
        if wait > self._horizon_ms:
            horizon = self._horizon_ms / 1000
            return random.uniform(horizon / 2, horizon)  # noqa: S311 - spread, not a secret
        return wait / 1000

    async def give_back(self, endpoint_id: uuid.UUID, holder: str) -> None:
        await self._redis.eval(  # type: ignore[misc]
            _GIVE_BACK,
            2,
            slots_key(endpoint_id),
            state_key(endpoint_id),
            holder,
            str(self._lease_ms),
            str(_STATE_TTL_MS),
        )
