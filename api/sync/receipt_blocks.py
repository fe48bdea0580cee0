"""Receipt codes reserved ahead by a device, so a citizen at an offline counter leaves with
the final code on paper.

Numbers come from the unit's day counter (``allocate_receipt_numbers``), the same one online
submissions use, so no number is ever given twice; the codes are finished by the server
(``ReceiptCodes.format`` adds the keyed check segment the device cannot compute). A code is
good for one intake by its device, on its day; unused codes expire with their day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import asyncpg

from api.applications.receipts import ReceiptCodes, allocate_receipt_numbers
from api.core.actors import Actor
from api.core.clock import vn_today
from api.core.problems import FieldProblem, validation_failed
from api.sync.devices import Device
from api.sync.problems import (
    ClientIdReused,
    DeviceTimeImplausible,
    ReceiptCodeNotReserved,
    ReceiptCodeUsed,
)
from api.sync.repository import SyncRepository
from api.sync.schemas import MAX_DAYS_AHEAD, ReceiptBlock, ReceiptBlockRequest

# How far a device clock may run ahead of the server's before its times are refused.
CLOCK_SKEW = timedelta(minutes=5)


def _block(row: asyncpg.Record) -> ReceiptBlock:
    return ReceiptBlock(
        block_id=row["id"],
        unit_code=row["unit_code"],
        day=row["day"],
        codes=list(row["codes"]),
        reserved_at=row["reserved_at"],
    )


class ReceiptBlockService:
    def __init__(self, conn: asyncpg.Connection, receipt_codes: ReceiptCodes) -> None:
        self._conn = conn
        self._codes = receipt_codes
        self._repo = SyncRepository(conn)

    async def reserve(
        self, actor: Actor, device: Device, body: ReceiptBlockRequest
    ) -> tuple[ReceiptBlock, bool]:
        """The block and True when new; the block reserved earlier under this id and False."""
        unit_code = actor.unit_code
        assert unit_code is not None, "officers have a unit"
        today = vn_today()
        day = body.day or today
        if not today <= day <= today + timedelta(days=MAX_DAYS_AHEAD):
            raise validation_failed(
                [
                    FieldProblem(
                        "day", "out_of_range", "sync.fields.day-out-of-range", days=MAX_DAYS_AHEAD
                    )
                ]
            )
        earlier = await self._repo.block(body.block_id)
        if earlier is None:
            try:
                async with self._conn.transaction():
                    numbers = await allocate_receipt_numbers(self._conn, unit_code, day, body.count)
                    codes = [self._codes.format(unit_code, day, number) for number in numbers]
                    await self._repo.insert_block(
                        body.block_id, device.id, unit_code, day, numbers[0], codes
                    )
                created = await self._repo.block(body.block_id)
                assert created is not None
                return _block(created), True
            except asyncpg.UniqueViolationError:
                # A copy of this request won; its numbers stand, ours went back with the rollback.
                earlier = await self._repo.block(body.block_id)
                assert earlier is not None
        if (earlier["device_id"], earlier["day"], earlier["count"]) != (device.id, day, body.count):
            raise ClientIdReused(block_id=str(body.block_id))
        return _block(earlier), False


async def claim_reserved_code(
    repo: SyncRepository, device: Device, unit_code: str, code: str, device_time: datetime
) -> date:
    """The day of ``code`` if this device may use it now for an intake in ``unit_code`` at
    ``device_time``; the code stays locked until the caller's transaction ends."""
    row = await repo.reserved_code(code)
    if row is None or row["device_id"] != device.id or row["unit_code"] != unit_code:
        raise ReceiptCodeNotReserved(receipt_code=code)
    if row["application_id"] is not None:
        raise ReceiptCodeUsed(receipt_code=code)
    now = datetime.now(UTC)
    if (
        vn_today(device_time) != row["day"]
        or device_time > now + CLOCK_SKEW
        or device_time < row["reserved_at"] - CLOCK_SKEW
    ):
        raise DeviceTimeImplausible(receipt_code=code, day=row["day"].isoformat())
    day: date = row["day"]
    return day
