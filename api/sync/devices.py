"""Devices: an officer registers each installation of the app; an administrator can revoke one.

Every sync request names its device (``X-Device-Id``); a device answers only to the officer
who registered it, and a revoked one to nobody (401), while the app keeps its unsent outbox.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
from litestar.connection import ASGIConnection

from api.core.actors import Actor, can_act_for_unit
from api.core.problems import FieldProblem, NotFound, validation_failed
from api.sync.problems import DeviceIdTaken, DeviceRevoked, DeviceUnknown
from api.sync.repository import SyncRepository
from api.sync.schemas import DeviceRead, DeviceRegistration

DEVICE_HEADER = "x-device-id"


class Device:
    """The device a request comes from, checked against its officer."""

    __slots__ = ("id", "staff_id", "unit_code")

    def __init__(self, id: uuid.UUID, staff_id: uuid.UUID, unit_code: str) -> None:
        self.id = id
        self.staff_id = staff_id
        self.unit_code = unit_code


def _read(row: asyncpg.Record) -> DeviceRead:
    return DeviceRead(
        device_id=row["id"],
        label=row["label"],
        unit_code=row["unit_code"],
        registered_at=row["registered_at"],
        revoked_at=row["revoked_at"],
    )


class DeviceService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = SyncRepository(conn)

    async def register(self, actor: Actor, body: DeviceRegistration) -> tuple[DeviceRead, bool]:
        """The device and True when new; the same device and False for a repeated request."""
        assert actor.unit_code is not None, "officers have a unit"
        row = await self._repo.insert_device(body.device_id, actor.id, actor.unit_code, body.label)
        if row is not None:
            return _read(row), True
        earlier = await self._repo.device(body.device_id)
        assert earlier is not None
        if earlier["staff_id"] != actor.id:
            raise DeviceIdTaken()
        if earlier["revoked_at"] is not None:
            raise DeviceRevoked()
        return _read(earlier), False

    async def revoke(self, actor: Actor, device_id: uuid.UUID) -> DeviceRead:
        """Administrators in scope of the device's unit revoke it (404 outside their scope)."""
        async with self._conn.transaction():
            row = await self._repo.device(device_id)
            agency = await self._repo.unit_agency(row["unit_code"]) if row else None
            if (
                row is None
                or agency is None
                or not can_act_for_unit(actor, row["unit_code"], agency)
            ):
                raise NotFound(entry="sync.problems.device-unknown")
            revoked = await self._repo.revoke(device_id, actor.id)
            assert revoked is not None
            await self._repo.release_leases_of_device(device_id)
            return _read(revoked)

    async def resolve(self, actor: Actor, raw_id: str | None) -> Device:
        """The request's device, or 401 when it is not this officer's or was revoked."""
        if not raw_id:
            raise validation_failed(
                [FieldProblem("X-Device-Id", "required", "sync.fields.device-header")]
            )
        try:
            device_id = uuid.UUID(raw_id.strip())
        except ValueError:
            raise validation_failed(
                [FieldProblem("X-Device-Id", "invalid_uuid", "sync.fields.device-header")]
            ) from None
        row = await self._repo.device(device_id)
        if row is None or row["staff_id"] != actor.id:
            raise DeviceUnknown()
        if row["revoked_at"] is not None:
            raise DeviceRevoked()
        await self._repo.mark_seen(device_id)
        return Device(row["id"], row["staff_id"], row["unit_code"])


async def provide_device(
    request: ASGIConnection[Any, Any, Any, Any], db: asyncpg.Connection, actor: Actor
) -> Device:
    """Dependency: the device named by ``X-Device-Id``, checked."""
    return await DeviceService(db).resolve(actor, request.headers.get(DEVICE_HEADER))
