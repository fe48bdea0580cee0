"""The services of this feature, provided to route handlers through Litestar's DI."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar.datastructures import State
from litestar.di import Provide

from api.applications.filing import FilingService
from api.applications.processing import ProcessingService
from api.applications.queue import QueueService
from api.applications.views import ViewService


async def provide_filing(db: asyncpg.Connection, state: State) -> FilingService:
    return FilingService(db, state.admin_units)


async def provide_processing(db: asyncpg.Connection, state: State) -> ProcessingService:
    return ProcessingService(db, state.admin_units, state.receipt_codes)


async def provide_views(db: asyncpg.Connection) -> ViewService:
    return ViewService(db)


async def provide_queue(db: asyncpg.Connection) -> QueueService:
    return QueueService(db)


SERVICES: dict[str, Any] = {
    "filing": Provide(provide_filing),
    "processing": Provide(provide_processing),
    "views": Provide(provide_views),
    "queue_service": Provide(provide_queue),
}
