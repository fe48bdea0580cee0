"""The services of the agency API, provided to route handlers through Litestar's DI."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar.di import Provide

from api.agency.feed import AgencyFeedService
from api.agency.keys import ApiKeyService
from api.applications.dependencies import SERVICES as APPLICATION_SERVICES


async def provide_api_keys(db: asyncpg.Connection) -> ApiKeyService:
    return ApiKeyService(db)


async def provide_feed(db: asyncpg.Connection) -> AgencyFeedService:
    return AgencyFeedService(db)


SERVICES: dict[str, Any] = {
    **APPLICATION_SERVICES,
    "api_keys": Provide(provide_api_keys),
    "feed": Provide(provide_feed),
}
