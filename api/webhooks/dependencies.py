"""The services of webhook endpoints, provided to route handlers through Litestar's DI."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar.datastructures import State
from litestar.di import Provide

from api.webhooks.endpoints import EndpointService
from api.webhooks.log import DeliveryLogService


async def provide_endpoints(db: asyncpg.Connection, state: State) -> EndpointService:
    return EndpointService(db, state.settings, state.webhook_box)


async def provide_delivery_log(db: asyncpg.Connection, state: State) -> DeliveryLogService:
    return DeliveryLogService(db, state.redis)


SERVICES: dict[str, Any] = {
    "endpoints": Provide(provide_endpoints),
    "delivery_log": Provide(provide_delivery_log),
}
