"""SQL for the application_documents table (and the procedure's list of required papers)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
import msgspec

_COLUMNS = """
id, application_id, kind, requirement, object_key, declared_content_type, declared_size,
declared_sha256, status, content_type, size, sha256, upload_expires_at, uploaded_by_kind,
uploaded_by_id, created_at, completed_at
"""

_REQUIREMENT_CODES = """
SELECT coalesce(array_agg(doc ->> 'code'), '{}')
FROM procedures p, jsonb_array_elements(p.required_documents) AS doc
WHERE p.code = $1
"""

_COUNT_FOR_APPLICATION = "SELECT count(*) FROM application_documents WHERE application_id = $1"

_INSERT = f"""
INSERT INTO application_documents (
    id, application_id, kind, requirement, object_key, declared_content_type, declared_size,
    declared_sha256, status, upload_expires_at, uploaded_by_kind, uploaded_by_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11)
RETURNING {_COLUMNS}
"""

_GET = f"SELECT {_COLUMNS} FROM application_documents WHERE id = $1 AND application_id = $2"
_GET_FOR_UPDATE = _GET + " FOR UPDATE"

_MARK_REJECTED = """
UPDATE application_documents SET status = 'rejected', updated_at = now()
WHERE id = $1 AND status = 'pending'
"""

_MARK_STORED = f"""
UPDATE application_documents
SET status = 'stored', content_type = $2, size = $3, sha256 = $4, completed_at = now(),
    updated_at = now()
WHERE id = $1 AND status = 'pending'
RETURNING {_COLUMNS}
"""

_LIST = f"""
SELECT {_COLUMNS} FROM application_documents
WHERE application_id = $1
  AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
ORDER BY created_at, id
LIMIT $4
"""


class DocumentRow(msgspec.Struct, frozen=True):
    id: uuid.UUID
    application_id: uuid.UUID
    kind: str
    requirement: str
    object_key: str
    declared_content_type: str
    declared_size: int
    declared_sha256: str
    status: str
    content_type: str | None
    size: int | None
    sha256: str | None
    upload_expires_at: datetime
    uploaded_by_kind: str
    uploaded_by_id: uuid.UUID
    created_at: datetime
    completed_at: datetime | None


def _row(record: asyncpg.Record) -> DocumentRow:
    return DocumentRow(**dict(record))


class DocumentRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def requirement_codes(self, procedure_code: str) -> frozenset[str]:
        codes = await self._conn.fetchval(_REQUIREMENT_CODES, procedure_code)
        return frozenset(code for code in codes if code)

    async def count_for_application(self, application_id: uuid.UUID) -> int:
        return int(await self._conn.fetchval(_COUNT_FOR_APPLICATION, application_id))

    async def insert_pending(
        self,
        *,
        document_id: uuid.UUID,
        application_id: uuid.UUID,
        kind: str,
        requirement: str,
        object_key: str,
        content_type: str,
        size: int,
        sha256: str,
        upload_expires_at: datetime,
        uploaded_by_kind: str,
        uploaded_by_id: uuid.UUID,
    ) -> DocumentRow:
        record = await self._conn.fetchrow(
            _INSERT,
            document_id,
            application_id,
            kind,
            requirement,
            object_key,
            content_type,
            size,
            sha256,
            upload_expires_at,
            uploaded_by_kind,
            uploaded_by_id,
        )
        assert record is not None
        return _row(record)

    async def get(
        self, application_id: uuid.UUID, document_id: uuid.UUID, *, for_update: bool = False
    ) -> DocumentRow | None:
        record = await self._conn.fetchrow(
            _GET_FOR_UPDATE if for_update else _GET, document_id, application_id
        )
        return _row(record) if record else None

    async def mark_rejected(self, document_id: uuid.UUID) -> None:
        await self._conn.execute(_MARK_REJECTED, document_id)

    async def mark_stored(
        self, document_id: uuid.UUID, *, content_type: str, size: int, sha256: str
    ) -> DocumentRow:
        record = await self._conn.fetchrow(_MARK_STORED, document_id, content_type, size, sha256)
        assert record is not None, "mark_stored needs the pending row locked by the caller"
        return _row(record)

    async def list_for_application(
        self,
        application_id: uuid.UUID,
        *,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[DocumentRow]:
        after_created, after_id = after if after else (None, None)
        records = await self._conn.fetch(_LIST, application_id, after_created, after_id, limit)
        return [_row(record) for record in records]
