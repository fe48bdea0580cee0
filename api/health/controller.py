"""``GET /health``: whether the API can reach PostgreSQL, Redis and object storage.

200 with every component ``ok``; otherwise 503, an ``application/problem+json`` body like any
other error, that names the failing components.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec

from api.core.problems import PROBLEM_JSON, Problem, ServiceUnavailable, problem_response

logger = logging.getLogger(__name__)
Component = Literal["database", "redis", "storage"]
ComponentStatus = Literal["ok", "unavailable"]
_CHECK_TIMEOUT_SECONDS = 2.0


class HealthRead(msgspec.Struct, frozen=True):
    status: Literal["ok"]
    components: dict[Component, ComponentStatus]
    failing: list[Component]


class HealthProblem(msgspec.Struct, frozen=True):
    """The 503 body: a problem (type ``/problems/service-unavailable``) plus the components."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str
    components: dict[Component, ComponentStatus]
    failing: list[Component]


async def _database(state: State) -> None:
    async with state.db_pool.acquire() as conn:
        await conn.fetchval("SELECT 1")


async def _redis(state: State) -> None:
    await state.redis.ping()


async def _storage(state: State) -> None:
    if not await state.storage.ping():
        raise RuntimeError("bucket missing")


_CHECKS: dict[Component, Callable[[State], Awaitable[None]]] = {
    "database": _database,
    "redis": _redis,
    "storage": _storage,
}


async def _status(name: Component, state: State) -> ComponentStatus:
    try:
        await asyncio.wait_for(_CHECKS[name](state), _CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means the component is not usable
        logger.warning("health check failed", extra={"component": name, "error": repr(exc)})
        return "unavailable"
    return "ok"


def _unhealthy(components: dict[Component, ComponentStatus], failing: list[Component]) -> Problem:
    return ServiceUnavailable(
        entry="core.problems.components-unavailable",
        params={"names": ", ".join(failing)},
        components=components,
        failing=failing,
    )


@get(
    "/health",
    tags=["Health"],
    summary="Liveness and dependency check",
    description="Checks PostgreSQL, Redis and object storage at the same time (2 s each).",
    responses={
        503: ResponseSpec(
            data_container=HealthProblem,
            media_type=PROBLEM_JSON,
            description="A component is down; `failing` names it",
            generate_examples=False,
        )
    },
)
async def health(state: State, request: Request[Any, Any, Any]) -> Response[HealthRead]:
    names = list(_CHECKS)
    statuses = await asyncio.gather(*(_status(name, state) for name in names))
    components = dict(zip(names, statuses, strict=True))
    failing = [name for name, status in components.items() if status != "ok"]
    if failing:
        return problem_response(request, _unhealthy(components, failing))
    return Response(HealthRead(status="ok", components=components, failing=[]))
