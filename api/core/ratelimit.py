"""Per-client rate limits shared by every API process: the ``limits`` package's moving window
strategy on Redis (one list of hit timestamps per bucket and key, trimmed by a Lua script).

Used where the limit is keyed by something other than the route (per IP for OTP requests,
staff sign-in and public tracking). A bucket is a name plus its limit and window; ``hit``
spends one request of the budget, ``check`` only looks, for budgets that only some outcomes
spend (failed tracking look-ups). ``charge`` does several of both in one Redis round trip (one
Lua script over the same lists, so it and ``hit``/``check`` count together): a hot route pays
one round trip for all its budgets.

``charge`` calls of one process are also coalesced: while one script is on its way to Redis,
the charges that arrive meanwhile wait and then go together in the next one (one script, one
round trip for all of them, applied one after the other in arrival order, so two charges of
the same key in a batch count exactly as two separate calls would). A charge waits at most for
the round trip in flight (a few ms under load, nothing when idle); the budgets stay in Redis,
shared by every process. A Redis error reaches every charge of the batch and every charge that
arrived meanwhile, so none waits for Redis longer than it would have alone (the API answers
503).

The scripts go out on a Redis connection of their own rather than through the pool: only one is
on its way at a time, and the pool's work around each command (its lock, a poll of the socket
for stray data, a task per write for the write time-out) cost the calling process more than
sending the script and reading its answer (docs/performance.md, eighth round).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from typing import Any

import msgspec
from limits import RateLimitItemPerSecond
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Connection, ConnectionPool
from redis.asyncio.connection import AbstractConnection, parse_url
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

from api.core.problems import too_many_requests

KEY_PREFIX = "ratelimit"


# The moving window of ``limits`` (acquire_moving_window.lua) over several lists at once, for a
# batch of charges applied in order. Per charge every budget is looked at first; only if none is
# used up are the spending ones spent. KEYS: the lists of every charge, one after the other;
# ARGV[1]: now; ARGV[2]: the charges as JSON, per charge per list [limit, window seconds, amount
# (0 = only look)] — one argument for the whole batch, since redis-py packs every argument on its
# own and that packing was most of a charge's cost. Returns per charge the 1-based position of
# its first used-up budget, or 0.
_CHARGE = """
local now = tonumber(ARGV[1])
local results = {}
local k = 0
for c, lists in ipairs(cjson.decode(ARGV[2])) do
    local refused = 0
    for i, list in ipairs(lists) do
        local limit, expiry = list[1], list[2]
        local amount = math.max(list[3], 1)
        local entry = redis.call('lindex', KEYS[k + i], limit - amount)
        if amount > limit or (entry and tonumber(entry) >= now - expiry) then
            refused = i
            break
        end
    end
    if refused == 0 then
        for i, list in ipairs(lists) do
            if list[3] > 0 then
                for _ = 1, list[3] do
                    redis.call('lpush', KEYS[k + i], now)
                end
                redis.call('ltrim', KEYS[k + i], 0, list[1] - 1)
                redis.call('expire', KEYS[k + i], list[2])
            end
        end
    end
    results[c] = refused
    k = k + #lists
end
return results
"""
_CHARGE_SHA = hashlib.sha1(_CHARGE.encode(), usedforsecurity=False).hexdigest()
# Charges sent in one script at most: bounds how long one script holds Redis.
MAX_CHARGES_PER_SCRIPT = 256
# How long a script and its answer may take before its charges fail (503), as the pool's
# socket time-out.
SCRIPT_TIMEOUT_SECONDS = 5


class _Charge(msgspec.Struct):
    """One ``charge`` call waiting for its batch: its lists, their [limit, window, amount] and
    the answer."""

    keys: list[str]
    lists: list[tuple[int, int, int]]
    answer: asyncio.Future[int]


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
        # The batch sender's own (see the module); its time-out is the script's. The URL's
        # scheme picks the class as it does for the pool (rediss:// is TLS).
        connect: dict[str, Any] = dict(parse_url(redis_url))
        connection_class: type[AbstractConnection] = connect.pop("connection_class", Connection)
        self._script_connection = connection_class(**connect, socket_connect_timeout=2)
        self._waiting: list[_Charge] = []
        self._sender: asyncio.Task[None] | None = None

    async def close(self) -> None:
        await self._script_connection.disconnect()
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
        """``hit`` the spending budgets and ``check`` the others, in one round trip shared with
        the process's concurrent charges: raise the 429 problem for the first one used up
        (then nothing is spent)."""
        keys: list[str] = []
        lists: list[tuple[int, int, int]] = []
        for budget in budgets:
            item = RateLimitItemPerSecond(budget.limit, budget.window_seconds)
            keys.append(f"{self._prefix}:{item.key_for(budget.bucket, budget.key)}")
            lists.append((budget.limit, item.get_expiry(), 1 if budget.spend else 0))
        answer: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Charge(keys, lists, answer))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send_waiting())
        refused = await answer
        if refused:
            budget = budgets[refused - 1]
            item = RateLimitItemPerSecond(budget.limit, budget.window_seconds)
            raise too_many_requests(await self._retry_after(item, budget.bucket, budget.key))

    async def _send_waiting(self) -> None:
        """Send the waiting charges, a script at a time, until none is left; the charges that
        arrive while a script is on its way go in the next one."""
        try:
            while self._waiting:
                # One turn of the event loop first: requests already received reach their
                # charge and go in this script rather than the next.
                await asyncio.sleep(0)
                batch = self._waiting[:MAX_CHARGES_PER_SCRIPT]
                del self._waiting[:MAX_CHARGES_PER_SCRIPT]
                keys = [key for charge in batch for key in charge.keys]
                lists = msgspec.json.encode([charge.lists for charge in batch])
                try:
                    refused = await self._run_charge_script(keys, [time.time(), lists])
                except Exception as exc:
                    # The charges that arrived while this script was on its way fail with it
                    # too: none waits longer for Redis than it would have alone.
                    for charge in [*batch, *self._waiting]:
                        if not charge.answer.done():
                            charge.answer.set_exception(exc)
                    self._waiting.clear()
                    continue
                except BaseException:
                    for charge in [*batch, *self._waiting]:
                        charge.answer.cancel()
                    self._waiting.clear()
                    raise
                for charge, position in zip(batch, refused, strict=True):
                    if not charge.answer.done():
                        charge.answer.set_result(int(position))
        finally:
            self._sender = None

    async def _run_charge_script(self, keys: list[str], args: list[Any]) -> list[int]:
        """The charge script's answer, on the sender's connection. A connection Redis closed
        while it sat idle (a restart, a time-out) only shows when it is used, so a script that
        meets a closed connection goes once more on a new one; if Redis had run it before the
        connection broke, that batch is counted twice, which can only refuse early."""
        try:
            return await self._send_charge_script(keys, args)
        except RedisConnectionError:
            return await self._send_charge_script(keys, args)

    async def _send_charge_script(self, keys: list[str], args: list[Any]) -> list[int]:
        """One try: the script by its hash (by its text if Redis does not know it); after any
        failure the connection is closed, so the next try starts on a new one."""
        connection = self._script_connection
        try:
            async with asyncio.timeout(SCRIPT_TIMEOUT_SECONDS):
                try:
                    await connection.send_command("EVALSHA", _CHARGE_SHA, len(keys), *keys, *args)
                    answer: list[int] = await connection.read_response()
                except NoScriptError:
                    await connection.send_command("EVAL", _CHARGE, len(keys), *keys, *args)
                    answer = await connection.read_response()
                return answer
        except BaseException as exc:
            await connection.disconnect(nowait=True)
            if isinstance(exc, TimeoutError):
                raise RedisTimeoutError("Redis did not answer the charge script in time") from exc
            raise

    async def _retry_after(self, item: RateLimitItemPerSecond, bucket: str, key: str) -> int:
        """Seconds until the oldest counted request leaves the window, i.e. one is free."""
        stats = await self._limiter.get_window_stats(item, bucket, key)
        seconds = math.ceil(stats.reset_time - time.time())
        return min(max(1, seconds), item.get_expiry())
