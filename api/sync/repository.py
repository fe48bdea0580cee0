"""SQL for offline sync: devices, receipt blocks, answered commands, and the work set a pull
hands out."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

_DEVICE = """
SELECT id, staff_id, unit_code, label, registered_at, revoked_at FROM sync_devices WHERE id = $1
"""

_INSERT_DEVICE = """
INSERT INTO sync_devices (id, staff_id, unit_code, label) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO NOTHING
RETURNING id, staff_id, unit_code, label, registered_at, revoked_at
"""

_SEEN = "UPDATE sync_devices SET last_seen_at = now() WHERE id = $1"

_REVOKE = """
UPDATE sync_devices SET revoked_at = coalesce(revoked_at, now()), revoked_by = $2 WHERE id = $1
RETURNING id, staff_id, unit_code, label, registered_at, revoked_at
"""

# A revoked device's leases end with it (api/sync/leases.py).
_RELEASE_LEASES_OF_DEVICE = """
UPDATE sync_leases SET released_at = now() WHERE device_id = $1 AND released_at IS NULL
"""

# A command taken on another device (carried outbox), beside the pushing officer.
_CARRIED_AUDIT = """
INSERT INTO audit_log (actor_kind, actor_id, actor_role, action, application_id, unit_code,
                       note, request_id, device_time, origin_device_id, origin_staff_id)
VALUES ('staff', $1, $2, 'sync.command_carried', $3, $4, $5, $6, $7, $8, $9)
"""

_UNIT_AGENCY = "SELECT agency_code FROM units WHERE code = $1"

_BLOCK = """
SELECT b.id, b.device_id, b.unit_code, b.day, b.first_number, b.count, b.reserved_at,
       array(SELECT c.code FROM sync_receipt_codes c WHERE c.block_id = b.id ORDER BY c.code)
           AS codes
FROM sync_receipt_blocks b WHERE b.id = $1
"""

_INSERT_BLOCK = """
INSERT INTO sync_receipt_blocks (id, device_id, unit_code, day, first_number, count)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING reserved_at
"""

_INSERT_CODES = """
INSERT INTO sync_receipt_codes (code, block_id) SELECT unnest($1::text[]), $2
"""

_RESERVED_CODE = """
SELECT c.code, c.application_id, b.device_id, b.unit_code, b.day, b.reserved_at
FROM sync_receipt_codes c JOIN sync_receipt_blocks b ON b.id = c.block_id
WHERE c.code = $1
FOR UPDATE OF c
"""

_USE_CODE = "UPDATE sync_receipt_codes SET application_id = $2, used_at = now() WHERE code = $1"

_COMMAND = """
SELECT command_id, device_id, fingerprint, application_id, outcome, answer
FROM sync_commands WHERE command_id = $1
"""

_INSERT_COMMAND = """
INSERT INTO sync_commands (command_id, device_id, staff_id, type, fingerprint, application_ref,
                           application_id, outcome, answer, device_time)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT DO NOTHING
RETURNING command_id
"""

_APPLICATION_OF_REF = """
SELECT application_id, outcome FROM sync_commands WHERE application_ref = $1
"""

# Two copies of one command (a duplicated request) take turns; the second finds the answer.
_LOCK_COMMAND = "SELECT pg_advisory_xact_lock($1)"

_APPLICATION_ROW = "SELECT * FROM applications WHERE id = $1"

_WORK_SET_DOCUMENTS = """
SELECT application_id, id, requirement, kind, status,
       coalesce(content_type, declared_content_type) AS content_type,
       coalesce(size, declared_size) AS size
FROM application_documents
WHERE application_id = ANY($1::uuid[])
ORDER BY application_id, created_at, id
"""

# Status changes only (the timeline); every event type written today is one.
_WORK_SET_TIMELINE = """
SELECT application_id, payload ->> 'to_status' AS status, occurred_at AS at,
       payload ->> 'actor_role' AS actor_role, payload ->> 'note' AS note
FROM events
WHERE application_id = ANY($1::uuid[]) AND payload ? 'to_status'
ORDER BY application_id, seq
"""

_REFERENCE_UNIT = """
SELECT code, agency_code, level, province_code, commune_code, name_vi, name_en
FROM units WHERE code = $1
"""

_REFERENCE_PROCEDURES = """
SELECT code, name_vi, name_en, service_level, processing_days, active, required_documents,
       form_fields
FROM procedures WHERE agency_level = $1 ORDER BY code
"""

_REFERENCE_CALENDAR = """
SELECT day, false AS working, name_vi, name_en FROM public_holidays
UNION ALL
SELECT day, true AS working, note_vi AS name_vi, note_en AS name_en FROM working_weekend_days
ORDER BY day
"""

_CLUSTER_ID = "SELECT system_identifier FROM pg_control_system()"


class SyncRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    # devices

    async def device(self, device_id: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_DEVICE, device_id)

    async def insert_device(
        self, device_id: uuid.UUID, staff_id: uuid.UUID, unit_code: str, label: str
    ) -> asyncpg.Record | None:
        """The new device, or None when the id is registered already."""
        return await self._conn.fetchrow(_INSERT_DEVICE, device_id, staff_id, unit_code, label)

    async def mark_seen(self, device_id: uuid.UUID) -> None:
        await self._conn.execute(_SEEN, device_id)

    async def revoke(self, device_id: uuid.UUID, by: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_REVOKE, device_id, by)

    async def release_leases_of_device(self, device_id: uuid.UUID) -> None:
        await self._conn.execute(_RELEASE_LEASES_OF_DEVICE, device_id)

    async def audit_carried(
        self,
        *,
        staff_id: uuid.UUID,
        role: str,
        application_id: uuid.UUID,
        unit_code: str,
        command_type: str,
        request_id: str | None,
        device_time: datetime,
        origin_device_id: uuid.UUID,
        origin_staff_id: uuid.UUID,
    ) -> None:
        await self._conn.execute(
            _CARRIED_AUDIT,
            staff_id,
            role,
            application_id,
            unit_code,
            command_type,
            request_id,
            device_time,
            origin_device_id,
            origin_staff_id,
        )

    async def unit_agency(self, unit_code: str) -> str | None:
        agency: str | None = await self._conn.fetchval(_UNIT_AGENCY, unit_code)
        return agency

    # receipt blocks

    async def block(self, block_id: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_BLOCK, block_id)

    async def insert_block(
        self,
        block_id: uuid.UUID,
        device_id: uuid.UUID,
        unit_code: str,
        day: date,
        first_number: int,
        codes: list[str],
    ) -> datetime:
        reserved_at: datetime = await self._conn.fetchval(
            _INSERT_BLOCK, block_id, device_id, unit_code, day, first_number, len(codes)
        )
        await self._conn.execute(_INSERT_CODES, codes, block_id)
        return reserved_at

    async def reserved_code(self, code: str) -> asyncpg.Record | None:
        """The code with its block, locked until the caller's transaction ends."""
        return await self._conn.fetchrow(_RESERVED_CODE, code)

    async def use_code(self, code: str, application_id: uuid.UUID) -> None:
        await self._conn.execute(_USE_CODE, code, application_id)

    # commands

    async def command(self, command_id: uuid.UUID) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_COMMAND, command_id)

    async def insert_command(
        self,
        *,
        command_id: uuid.UUID,
        device_id: uuid.UUID,
        staff_id: uuid.UUID,
        type: str,
        fingerprint: str,
        application_ref: uuid.UUID | None,
        application_id: uuid.UUID | None,
        outcome: str,
        answer: dict[str, Any],
        device_time: datetime | None,
    ) -> bool:
        """Store a command's first final answer; False when another transaction stored one for
        this id first (the insert waits for it to commit)."""
        inserted = await self._conn.fetchval(
            _INSERT_COMMAND,
            command_id,
            device_id,
            staff_id,
            type,
            fingerprint,
            application_ref,
            application_id,
            outcome,
            answer,
            device_time,
        )
        return inserted is not None

    async def lock_command(self, command_id: uuid.UUID) -> None:
        """Hold the command's id until the caller's transaction ends."""
        key = int.from_bytes(command_id.bytes[:8], signed=True)
        await self._conn.execute(_LOCK_COMMAND, key)

    async def application_of_ref(
        self, application_ref: uuid.UUID
    ) -> tuple[uuid.UUID | None, str] | None:
        """What the intake that made ``application_ref`` created, and its outcome; None when
        the server has not answered that intake yet."""
        row = await self._conn.fetchrow(_APPLICATION_OF_REF, application_ref)
        return (row["application_id"], row["outcome"]) if row else None

    # the work set

    async def application_row(self, application_id: uuid.UUID) -> asyncpg.Record:
        row = await self._conn.fetchrow(_APPLICATION_ROW, application_id)
        assert row is not None, "callers know it exists"
        return row

    async def documents_of(self, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(_WORK_SET_DOCUMENTS, ids))

    async def timelines_of(self, ids: list[uuid.UUID]) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(_WORK_SET_TIMELINE, ids))

    async def reference_unit(self, unit_code: str) -> asyncpg.Record | None:
        return await self._conn.fetchrow(_REFERENCE_UNIT, unit_code)

    async def reference_procedures(self, level: str) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(_REFERENCE_PROCEDURES, level))

    async def reference_calendar(self) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(_REFERENCE_CALENDAR))

    async def cluster_id(self) -> int:
        """Changes when the data moves to another PostgreSQL cluster (a restored backup),
        where transaction ids, and so feed positions, start again."""
        value: int = await self._conn.fetchval(_CLUSTER_ID)
        return value
