"""Enqueueing side effects as arq jobs. Job ids are deterministic so a retried request or a
relay that runs twice never queues the same side effect twice."""

from __future__ import annotations

from typing import Any

from arq.connections import ArqRedis, RedisSettings
from redis.asyncio import ConnectionPool


def redis_settings(redis_url: str) -> RedisSettings:
    return RedisSettings.from_dsn(redis_url)


def job_pool(redis_url: str) -> ArqRedis:
    """An arq client that connects on first use, so the API starts even while Redis is down."""
    pool = ConnectionPool.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    return ArqRedis(connection_pool=pool)


async def enqueue_once(redis: ArqRedis, function: str, job_id: str, **kwargs: Any) -> None:
    await redis.enqueue_job(function, _job_id=job_id, **kwargs)
