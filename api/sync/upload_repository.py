"""SQL for chunked uploads: the declaration, how far it got, and the chunks themselves."""

from __future__ import annotations

import uuid

import asyncpg

_COLUMNS = (
    "u.id, u.device_id, u.content_type, u.size, u.sha256, u.received, u.complete, u.document_id"
)

_INSERT = """
INSERT INTO sync_uploads (id, device_id, content_type, size, sha256) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (id) DO NOTHING
"""

# Uploads belong to the officer: any of their devices may resume or use one.
_GET = f"""
SELECT {_COLUMNS} FROM sync_uploads u JOIN sync_devices d ON d.id = u.device_id
WHERE u.id = $1 AND d.staff_id = $2
"""
_GET_FOR_UPDATE = _GET + " FOR UPDATE OF u"

_EXISTS = "SELECT true FROM sync_uploads WHERE id = $1"

_INSERT_CHUNK = "INSERT INTO sync_upload_chunks (upload_id, start_offset, data) VALUES ($1, $2, $3)"

_ADVANCE = """
UPDATE sync_uploads SET received = $2, complete = $3, updated_at = now() WHERE id = $1
"""

_CHUNKS = "SELECT data FROM sync_upload_chunks WHERE upload_id = $1 ORDER BY start_offset"

_DROP_CHUNKS = "DELETE FROM sync_upload_chunks WHERE upload_id = $1"

_RESTART = (
    "UPDATE sync_uploads SET received = 0, complete = false, updated_at = now() WHERE id = $1"
)

_USED = "UPDATE sync_uploads SET document_id = $2, updated_at = now() WHERE id = $1"


class UploadRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def insert(
        self, upload_id: uuid.UUID, device_id: uuid.UUID, content_type: str, size: int, sha256: str
    ) -> None:
        await self._conn.execute(_INSERT, upload_id, device_id, content_type, size, sha256)

    async def exists(self, upload_id: uuid.UUID) -> bool:
        return bool(await self._conn.fetchval(_EXISTS, upload_id))

    async def get(
        self, upload_id: uuid.UUID, staff_id: uuid.UUID, *, for_update: bool = False
    ) -> asyncpg.Record | None:
        return await self._conn.fetchrow(
            _GET_FOR_UPDATE if for_update else _GET, upload_id, staff_id
        )

    async def append(self, upload_id: uuid.UUID, start: int, data: bytes, complete: bool) -> None:
        await self._conn.execute(_INSERT_CHUNK, upload_id, start, data)
        await self._conn.execute(_ADVANCE, upload_id, start + len(data), complete)

    async def content(self, upload_id: uuid.UUID) -> bytes:
        return b"".join(row["data"] for row in await self._conn.fetch(_CHUNKS, upload_id))

    async def restart(self, upload_id: uuid.UUID) -> None:
        await self._conn.execute(_DROP_CHUNKS, upload_id)
        await self._conn.execute(_RESTART, upload_id)

    async def mark_used(self, upload_id: uuid.UUID, document_id: uuid.UUID) -> None:
        """The file is a document now: its chunks go, the row remembers where it went."""
        await self._conn.execute(_USED, upload_id, document_id)
        await self._conn.execute(_DROP_CHUNKS, upload_id)
