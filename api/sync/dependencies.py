"""The services of offline sync, provided to route handlers through Litestar's DI."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar.datastructures import State
from litestar.di import Provide

from api.sync.devices import DeviceService, provide_device
from api.sync.leases import LeaseService
from api.sync.pull import PullService
from api.sync.push import PushService
from api.sync.receipt_blocks import ReceiptBlockService
from api.sync.uploads import UploadService


async def provide_devices(db: asyncpg.Connection) -> DeviceService:
    return DeviceService(db)


async def provide_leases(db: asyncpg.Connection) -> LeaseService:
    return LeaseService(db)


async def provide_pull(db: asyncpg.Connection) -> PullService:
    return PullService(db)


async def provide_push(db: asyncpg.Connection, state: State) -> PushService:
    return PushService(
        db,
        units=state.admin_units,
        receipt_codes=state.receipt_codes,
        storage=state.storage,
        settings=state.settings,
    )


async def provide_receipt_blocks(db: asyncpg.Connection, state: State) -> ReceiptBlockService:
    return ReceiptBlockService(db, state.receipt_codes)


async def provide_uploads(db: asyncpg.Connection) -> UploadService:
    return UploadService(db)


SERVICES: dict[str, Any] = {
    "devices": Provide(provide_devices),
    "device": Provide(provide_device),
    "leases": Provide(provide_leases),
    "pull_service": Provide(provide_pull),
    "push_service": Provide(provide_push),
    "receipt_blocks": Provide(provide_receipt_blocks),
    "uploads": Provide(provide_uploads),
}
