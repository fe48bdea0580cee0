from __future__ import annotations

import asyncio
import logging
from typing import Literal

import msgspec
from litestar import Response, get
from litestar.datastructures import State

logger = logging.getLogger(__name__)
ComponentStatus = Literal["ok", "unavailable"]
_CHECK_TIMEOUT_SECONDS = 2.0


class HealthRead(msgspec.Struct, frozen=True):
    status: Literal["ok", "degraded"]
    components: dict[str, ComponentStatus]
    failing: list[str]


async def _database(state: State) -> None:
    async with state.db_pool.acquire(timeout=_CHECK_TIMEOUT_SECONDS) as conn:
        await conn.fetchval("SELECT 1")


async def _redis(state: State) -> None:
    await state.redis.ping()


async def _storage(state: State) -> None:
    if not await state.storage.ping():
        raise RuntimeError("bucket missing")


@get("/health", tags=["Health"], summary="Liveness and dependency check")
async def health(state: State) -> Response[HealthRead]:
    checks = {"database": _database, "redis": _redis, "storage": _storage}
    components: dict[str, ComponentStatus] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check(state), _CHECK_TIMEOUT_SECONDS)
            components[name] = "ok"
        except Exception as exc:  # any failure means the component is not usable
            logger.warning("health check failed", extra={"component": name, "error": repr(exc)})
            components[name] = "unavailable"
    failing = [name for name, status in components.items() if status != "ok"]
    body = HealthRead(
        status="degraded" if failing else "ok", components=components, failing=failing
    )
    return Response(body, status_code=503 if failing else 200)
