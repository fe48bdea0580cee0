"""Resumable uploads of photos taken offline (the shape of tus 1.0 core + creation + checksum):
declare the file, send chunks at the offset the server holds, ask the offset after a drop.

Chunks wait in the database until a command attaches the file; the command then hands the
bytes to the documents feature, which runs the same checks as for an online upload
(``DocumentService.add_received``). A file whose bytes do not match its declared SHA-256 is
dropped at its last chunk, so an interrupted or corrupted upload never becomes a document.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid

import asyncpg

from api.core.problems import FieldProblem, NotFound, Problem, validation_failed
from api.sync.devices import Device
from api.sync.problems import (
    ChunkChecksumMismatch,
    ClientIdReused,
    UploadAlreadyUsed,
    UploadChecksumMismatch,
    UploadIncomplete,
    UploadOffsetMismatch,
)
from api.sync.schemas import MAX_CHUNK_BYTES, UploadCreate, UploadState
from api.sync.upload_repository import UploadRepository


def _state(row: asyncpg.Record) -> UploadState:
    return UploadState(
        upload_id=row["id"], size=row["size"], offset=row["received"], complete=row["complete"]
    )


def upload_not_found() -> Problem:
    return NotFound(entry="sync.problems.upload-not-found")


def _offset(raw: str | None) -> int:
    if raw is None or not raw.strip().isdigit():
        raise validation_failed(
            [FieldProblem("Upload-Offset", "invalid", "sync.fields.upload-offset-header")]
        )
    return int(raw.strip())


def _chunk_digest(raw: str | None) -> bytes:
    algorithm, _, value = (raw or "").strip().partition(" ")
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if algorithm.lower() != "sha256" or len(digest) != 32:
        raise validation_failed(
            [FieldProblem("Upload-Checksum", "invalid", "sync.fields.upload-checksum-header")]
        )
    return digest


class UploadService:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._repo = UploadRepository(conn)

    async def declare(self, device: Device, body: UploadCreate) -> tuple[UploadState, bool]:
        """The upload and True when new; for a repeated declaration its state and False."""
        created = not await self._repo.exists(body.upload_id)
        await self._repo.insert(
            body.upload_id, device.id, body.content_type, body.size, body.sha256
        )
        row = await self._repo.get(body.upload_id, device.staff_id)
        if row is None or (row["content_type"], row["size"], row["sha256"]) != (
            body.content_type,
            body.size,
            body.sha256,
        ):
            raise ClientIdReused(upload_id=str(body.upload_id))
        return _state(row), created

    async def state(self, device: Device, upload_id: uuid.UUID) -> UploadState:
        row = await self._repo.get(upload_id, device.staff_id)
        if row is None:
            raise upload_not_found()
        return _state(row)

    async def append(
        self,
        device: Device,
        upload_id: uuid.UUID,
        *,
        offset_header: str | None,
        checksum_header: str | None,
        data: bytes,
    ) -> UploadState:
        offset = _offset(offset_header)
        digest = _chunk_digest(checksum_header)
        refused: Problem | None = None
        async with self._conn.transaction():
            row = await self._repo.get(upload_id, device.staff_id, for_update=True)
            if row is None:
                raise upload_not_found()
            if offset != row["received"] or row["complete"]:
                raise UploadOffsetMismatch(offset=row["received"])
            if not data or len(data) > MAX_CHUNK_BYTES or offset + len(data) > row["size"]:
                raise validation_failed(
                    [
                        FieldProblem(
                            "body", "too_long", "sync.fields.chunk-too-large", limit=MAX_CHUNK_BYTES
                        )
                    ]
                )
            if hashlib.sha256(data).digest() != digest:
                raise ChunkChecksumMismatch(offset=offset)
            finished = offset + len(data) == row["size"]
            await self._repo.append(upload_id, offset, data, finished)
            if finished:
                whole = await self._repo.content(upload_id)
                if hashlib.sha256(whole).hexdigest() != row["sha256"]:
                    await self._repo.restart(upload_id)
                    refused = UploadChecksumMismatch(offset=0)
            final = await self._repo.get(upload_id, device.staff_id)
            assert final is not None
        if refused is not None:
            raise refused  # after the commit: the dropped chunks stay dropped
        return _state(final)

    async def take(self, device: Device, upload_id: uuid.UUID) -> tuple[asyncpg.Record, bytes]:
        """A complete, unused upload and its bytes, locked for the caller's transaction;
        ``UploadIncomplete`` (retry later) while bytes are missing."""
        row = await self._repo.get(upload_id, device.staff_id, for_update=True)
        if row is None or not row["complete"]:
            raise UploadIncomplete(upload_id=str(upload_id))
        if row["document_id"] is not None:
            raise UploadAlreadyUsed(upload_id=str(upload_id))
        return row, await self._repo.content(upload_id)

    async def mark_used(self, upload_id: uuid.UUID, document_id: uuid.UUID) -> None:
        await self._repo.mark_used(upload_id, document_id)
