"""The rate limiter on the test Redis: a moving window per bucket and key, Retry-After until the
oldest counted request leaves the window, ``check`` that never counts, concurrent charges of a
process coalesced into one script yet counted exactly across processes, and Redis errors that
reach the caller (the API turns them into 503 problems), also from a Redis that never answers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio
from redis.exceptions import RedisError

from api.core import ratelimit
from api.core.problems import Problem
from api.core.ratelimit import Budget, RateLimiter
from api.settings import Settings
from tests.conftest import free_port


@pytest.fixture
async def limiter(settings: Settings) -> AsyncIterator[RateLimiter]:
    limiter = RateLimiter(settings.redis_url)
    try:
        yield limiter
    finally:
        await limiter.close()


def _retry_after(problem: Problem) -> int:
    return int(problem.headers["Retry-After"])


async def test_hits_beyond_the_limit_are_refused_with_retry_after(limiter: RateLimiter) -> None:
    key = uuid.uuid4().hex
    for _ in range(3):
        await limiter.hit("test-bucket", key, limit=3, window_seconds=60)
    with pytest.raises(Problem) as refused:
        await limiter.hit("test-bucket", key, limit=3, window_seconds=60)
    assert refused.value.status == 429
    assert 58 <= _retry_after(refused.value) <= 60
    # Buckets and keys are separate budgets.
    await limiter.hit("test-bucket", uuid.uuid4().hex, limit=3, window_seconds=60)
    await limiter.hit("other-bucket", key, limit=3, window_seconds=60)


async def test_the_window_moves_so_a_request_frees_up_when_the_oldest_leaves(
    limiter: RateLimiter,
) -> None:
    key = uuid.uuid4().hex
    await limiter.hit("test-moving", key, limit=2, window_seconds=1)
    await asyncio.sleep(0.6)
    await limiter.hit("test-moving", key, limit=2, window_seconds=1)
    with pytest.raises(Problem):
        await limiter.hit("test-moving", key, limit=2, window_seconds=1)
    await asyncio.sleep(0.5)  # the first hit has left the window, the second has not
    await limiter.hit("test-moving", key, limit=2, window_seconds=1)
    with pytest.raises(Problem):
        await limiter.hit("test-moving", key, limit=2, window_seconds=1)


async def test_check_peeks_without_counting(limiter: RateLimiter) -> None:
    key = uuid.uuid4().hex
    for _ in range(5):
        await limiter.check("test-peek", key, limit=2, window_seconds=60)
    await limiter.hit("test-peek", key, limit=2, window_seconds=60)
    await limiter.check("test-peek", key, limit=2, window_seconds=60)
    await limiter.hit("test-peek", key, limit=2, window_seconds=60)
    with pytest.raises(Problem) as refused:
        await limiter.check("test-peek", key, limit=2, window_seconds=60)
    assert 0 < _retry_after(refused.value) <= 60


async def test_an_unreachable_redis_raises_a_redis_error() -> None:
    limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}/0")
    try:
        with pytest.raises(RedisError):
            await limiter.hit("test-down", "key", limit=1, window_seconds=60)
    finally:
        await limiter.close()


async def test_concurrent_charges_share_a_script_and_the_budget_holds_across_processes(
    settings: Settings,
) -> None:
    # Two limiters with their own pools and batches stand for two API processes.
    first, second = RateLimiter(settings.redis_url), RateLimiter(settings.redis_url)
    scripts_sent = 0
    send_script = first._run_charge_script

    async def counting_script(keys: list[str], args: list[object]) -> list[int]:
        nonlocal scripts_sent
        scripts_sent += 1
        return await send_script(keys, args)

    first._run_charge_script = counting_script  # type: ignore[method-assign]
    key = uuid.uuid4().hex
    budget = Budget("test-coalesced", key, 30, 60)

    async def charge(limiter: RateLimiter) -> bool:
        try:
            await limiter.charge(budget)
        except Problem as refused:
            assert refused.status == 429
            return False
        return True

    try:
        answers = await asyncio.gather(
            *(charge(limiter) for _ in range(40) for limiter in (first, second))
        )
        # Exactly the limit got through, whichever process each charge went through.
        assert answers.count(True) == 30
        # The first process's 40 charges took far fewer scripts than charges.
        assert scripts_sent <= 3
        # The budget is still used up for both.
        assert not await charge(first) and not await charge(second)
    finally:
        await first.close()
        await second.close()


async def test_an_unreachable_redis_fails_every_coalesced_charge() -> None:
    limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}/0")
    try:
        budget = Budget("test-down", "key", 1, 60)
        answers = await asyncio.gather(
            *(limiter.charge(budget) for _ in range(5)), return_exceptions=True
        )
        assert all(isinstance(answer, RedisError) for answer in answers)
        # The next charge tries Redis again and fails the same way.
        with pytest.raises(RedisError):
            await limiter.charge(budget)
    finally:
        await limiter.close()


async def test_charges_go_on_when_redis_forgot_the_script_or_dropped_the_connection(
    limiter: RateLimiter, settings: Settings
) -> None:
    """The charge scripts have a connection of their own: a Redis restarted empty (no scripts)
    or a connection it closed costs nothing but a reload or a reconnect."""
    budget = Budget("test-own-connection", uuid.uuid4().hex, 3, 60)
    admin = redis.asyncio.Redis.from_url(settings.redis_url)
    try:
        await limiter.charge(budget)
        await admin.script_flush()
        await limiter.charge(budget)
        connection = limiter._script_connection
        await connection.send_command("CLIENT", "ID")
        await admin.client_kill_filter(_id=await connection.read_response())
        await limiter.charge(budget)
        with pytest.raises(Problem) as refused:  # the three charges all counted
            await limiter.charge(budget)
        assert refused.value.status == 429
    finally:
        await admin.aclose()


async def test_a_redis_that_never_answers_fails_the_charge_after_the_time_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that accepts the connection and then says nothing: the charge fails with a Redis
    error (the API's 503) once the script's time-out passes, and does not hang."""
    silent = await asyncio.start_server(lambda _reader, _writer: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    monkeypatch.setattr(ratelimit, "SCRIPT_TIMEOUT_SECONDS", 0.3)
    limiter = RateLimiter(f"redis://127.0.0.1:{port}/0")
    try:
        started = asyncio.get_running_loop().time()
        with pytest.raises(RedisError):
            await limiter.charge(Budget("test-silent", "key", 1, 60))
        assert asyncio.get_running_loop().time() - started < 2
    finally:
        await limiter.close()
        silent.close()
