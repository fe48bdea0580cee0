"""Document uploads: a presigned POST form straight from the phone to storage, then a
server-side check before the file counts as part of the application.

The phone POSTs to a staging key (``uploads/{application_id}/{document_id}``); the form's
policy pins that key, the declared type and the declared size, so storage refuses anything
else. On completion the server verifies the bytes it read and writes them (sanitised:
EXIF/GPS removed) to the document's own key (``applications/{application_id}/{document_id}``),
which only the server writes, and deletes the staging object. The staging key is single-use:
once the row leaves 'pending', nothing there is read again, and the housekeeping sweep
(``cleanup.py``) deletes whatever is posted there later. A completion whose database commit
failed can simply be retried.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from api.applications.access import ApplicationRef, application_in_scope
from api.applications.journal import write_audit
from api.applications.state_machine import EDITABLE
from api.core.actors import Actor, forbidden
from api.core.pagination import decode_cursor, encode_cursor
from api.core.problems import FieldProblem, Problem, validation_failed
from api.core.storage import ObjectStorage
from api.documents.inspection import Rejection, Sanitised, inspect_bounded
from api.documents.problems import (
    DocumentNotFound,
    DocumentNotStored,
    DocumentRejected,
    DocumentsLocked,
    TooManyDocuments,
    UploadExpired,
    UploadMissing,
    UploadNotPending,
)
from api.documents.repository import DocumentRepository, DocumentRow
from api.documents.schemas import (
    RESULT_REQUIREMENT,
    DocumentDownload,
    DocumentKind,
    DocumentPage,
    DocumentRead,
    DocumentUploadCreate,
    DocumentUploadTicket,
)
from api.settings import Settings

logger = logging.getLogger("api.documents")

# Presigned upload forms never live longer than this, whatever the configuration says.
MAX_UPLOAD_URL_TTL = timedelta(minutes=15)
# Bounds the rows and staging objects one application can accumulate (retries included).
MAX_DOCUMENTS_PER_APPLICATION = 50

# Who may add documents of each kind, and while the application is in which status.
_CITIZEN_INPUT_STATUSES = EDITABLE
_COUNTER_INPUT_STATUSES = frozenset({"draft"})
_RESULT_STATUSES = frozenset({"approved"})

_FILE_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


# Every staging object lives under this prefix; the sweep owns everything below it.
STAGING_PREFIX = "uploads/"


def upload_key(application_id: uuid.UUID, document_id: uuid.UUID) -> str:
    """Where the phone posts the file; never served, read once by ``complete``."""
    return f"{STAGING_PREFIX}{application_id}/{document_id}"


def document_key(application_id: uuid.UUID, document_id: uuid.UUID) -> str:
    """Where the verified file lives; only the server writes here."""
    return f"applications/{application_id}/{document_id}"


def _read(row: DocumentRow) -> DocumentRead:
    return DocumentRead(
        document_id=row.id,
        requirement=row.requirement,
        kind=row.kind,  # type: ignore[arg-type]
        status=row.status,  # type: ignore[arg-type]
        content_type=row.content_type or row.declared_content_type,
        size=row.size if row.size is not None else row.declared_size,
        created_at=row.created_at,
        completed_at=row.completed_at,
    )


def _check_may_add(actor: Actor, application: ApplicationRef, kind: str) -> None:
    """The upload rule (``application_in_scope`` has already checked the actor reaches it):

    - the citizen owner adds input documents while the application is a draft or awaits a
      supplement;
    - staff in scope add the result while the application is approved;
    - staff in scope add input documents to a draft taken in at the counter (they scan the
      papers the applicant brought).
    """
    status = application.status
    if actor.kind == "citizen":
        if kind != "input":
            raise forbidden()
        open_statuses = _CITIZEN_INPUT_STATUSES
    elif actor.kind == "staff":
        if kind == "input" and application.channel != "counter":
            raise forbidden()
        open_statuses = _RESULT_STATUSES if kind == "result" else _COUNTER_INPUT_STATUSES
    else:
        raise forbidden()
    if status not in open_statuses:
        raise DocumentsLocked(application_status=status)


class DocumentService:
    def __init__(
        self, conn: asyncpg.Connection, storage: ObjectStorage, settings: Settings
    ) -> None:
        self._conn = conn
        self._storage = storage
        self._settings = settings
        self._documents = DocumentRepository(conn)

    async def start_upload(
        self, actor: Actor, application_id: uuid.UUID, body: DocumentUploadCreate
    ) -> DocumentUploadTicket:
        async with self._conn.transaction():
            application, kind = await self._admit(actor, application_id, body)
            document_id = uuid.uuid4()
            ttl = min(timedelta(seconds=self._settings.upload_url_ttl_seconds), MAX_UPLOAD_URL_TTL)
            # The form and the window close together; complete enforces the same instant.
            expires_at = datetime.now(UTC) + ttl
            form = self._storage.presigned_post(
                upload_key(application.id, document_id),
                expires_at=expires_at,
                content_type=body.content_type,
                size=body.size,
            )
            row = await self._insert_pending(
                actor, application, kind, body, document_id, upload_expires_at=expires_at
            )
        return DocumentUploadTicket(
            document_id=row.id,
            upload_url=form.url,
            method="POST",
            fields=form.fields,
            expires_at=row.upload_expires_at,
        )

    async def _check_declaration(
        self, application: ApplicationRef, kind: str, body: DocumentUploadCreate
    ) -> None:
        errors: list[FieldProblem] = []
        if kind == "input":
            codes = await self._documents.requirement_codes(application.procedure_code)
            if body.requirement not in codes:
                errors.append(
                    FieldProblem(
                        "requirement", "unknown_requirement", "documents.fields.unknown-requirement"
                    )
                )
        if body.size > self._settings.max_document_bytes:
            limit_mb = self._settings.max_document_bytes / (1024 * 1024)
            errors.append(
                FieldProblem(
                    "size", "too_large", "documents.fields.size-too-large", limit_mb=limit_mb
                )
            )
        if errors:
            raise validation_failed(errors)

    async def complete_upload(
        self, actor: Actor, application_id: uuid.UUID, document_id: uuid.UUID
    ) -> DocumentRead:
        """Verify the uploaded file and store it, or refuse it and delete it.

        A refusal is committed (the row becomes 'rejected') before the problem is raised, and
        the uploaded object is deleted even if that commit fails. Other failures (storage or
        database trouble) leave the upload pending, so the phone can retry the completion.
        """
        refusal: tuple[Problem, str] | None = None
        refused_key: str | None = None
        try:
            async with self._conn.transaction():
                application = await application_in_scope(
                    self._conn, actor, application_id, for_update=True
                )
                row = await self._documents.get(application.id, document_id, for_update=True)
                if row is None:
                    raise DocumentNotFound()
                if row.status == "stored":
                    return _read(row)  # a repeated completion gets the same answer
                if row.status == "rejected":
                    raise UploadNotPending(row.id)
                if row.uploaded_by_id != actor.id:
                    raise forbidden()
                _check_may_add(actor, application, row.kind)
                staging_key = upload_key(application.id, row.id)
                if row.upload_expires_at <= datetime.now(UTC):
                    refusal = (UploadExpired(row.id), "upload_expired")
                else:
                    verified = await self._verify(row, staging_key)
                    if isinstance(verified, str):
                        refusal = (DocumentRejected(row.id, verified), verified)
                    else:
                        stored = await self._store(row, verified)
                        await self._audit(actor, "document.uploaded", application, row)
                if refusal is not None:
                    refused_key = staging_key
                    await self._documents.mark_rejected(row.id)
                    await self._audit(
                        actor, "document.rejected", application, row, reason=refusal[1]
                    )
        finally:
            if refused_key is not None:
                await self._discard(refused_key)
        if refusal is not None:
            raise refusal[0]
        # The verified copy now lives at the document key; the staging object is spent.
        await self._discard(staging_key)
        return _read(stored)

    async def _verify(self, row: DocumentRow, key: str) -> Sanitised | str:
        """The verified (and sanitised) file, or the reason code it is refused."""
        info = await self._storage.stat(key)
        if info is None:
            raise UploadMissing(row.id)
        max_bytes = self._settings.max_document_bytes
        if info.size > max_bytes:
            return "too_large"
        if info.size != row.declared_size:
            return "size_mismatch"
        data = await self._storage.read(key, limit=max_bytes + 1)
        # The object can be replaced between stat and read while the PUT URL is valid, so
        # every check below is on the bytes actually read.
        return await self._verify_bytes(row, data)

    async def _verify_bytes(self, row: DocumentRow, data: bytes) -> Sanitised | str:
        max_bytes = self._settings.max_document_bytes
        if len(data) != row.declared_size:
            return "size_mismatch"
        if hashlib.sha256(data).hexdigest() != row.declared_sha256:
            return "checksum_mismatch"
        # Decoding and re-encoding is CPU-bound and memory-hungry: in a thread, a few at once.
        verdict = await inspect_bounded(
            data,
            row.declared_content_type,
            max_bytes=max_bytes,
            max_concurrent=self._settings.max_concurrent_inspections,
        )
        if isinstance(verdict, Rejection):
            return verdict.reason
        return verdict

    async def add_received(
        self,
        actor: Actor,
        application_id: uuid.UUID,
        body: DocumentUploadCreate,
        data: bytes,
        *,
        written: list[str],
    ) -> DocumentRead:
        """Add a file whose bytes reached the API another way (offline sync's chunked uploads),
        under the same rules and checks as ``start_upload`` + ``complete_upload``, inside the
        caller's transaction: a refused file raises ``DocumentRejected`` and leaves no row.

        The object is written before the caller's transaction commits, so its key goes into
        ``written`` first: if that transaction rolls back, the caller deletes what is listed
        there (no row will ever name it)."""
        async with self._conn.transaction():
            application, kind = await self._admit(actor, application_id, body)
            document_id = uuid.uuid4()
            row = await self._insert_pending(
                actor, application, kind, body, document_id, upload_expires_at=datetime.now(UTC)
            )
            verified = await self._verify_bytes(row, data)
            if isinstance(verified, str):
                raise DocumentRejected(row.id, verified)
            written.append(row.object_key)
            stored = await self._store(row, verified)
            await self._audit(actor, "document.uploaded", application, row)
        return _read(stored)

    async def _admit(
        self, actor: Actor, application_id: uuid.UUID, body: DocumentUploadCreate
    ) -> tuple[ApplicationRef, DocumentKind]:
        """The application (row locked) and the kind of document ``body`` declares, once
        every rule for adding it holds: who may add what in which status, the declaration
        itself, and the per-application cap."""
        kind: DocumentKind = "result" if body.requirement == RESULT_REQUIREMENT else "input"
        application = await application_in_scope(self._conn, actor, application_id, for_update=True)
        _check_may_add(actor, application, kind)
        await self._check_declaration(application, kind, body)
        if (
            await self._documents.count_for_application(application.id)
            >= MAX_DOCUMENTS_PER_APPLICATION
        ):
            raise TooManyDocuments(limit=MAX_DOCUMENTS_PER_APPLICATION)
        return application, kind

    async def _insert_pending(
        self,
        actor: Actor,
        application: ApplicationRef,
        kind: DocumentKind,
        body: DocumentUploadCreate,
        document_id: uuid.UUID,
        *,
        upload_expires_at: datetime,
    ) -> DocumentRow:
        return await self._documents.insert_pending(
            document_id=document_id,
            application_id=application.id,
            kind=kind,
            requirement=body.requirement,
            object_key=document_key(application.id, document_id),
            content_type=body.content_type,
            size=body.size,
            sha256=body.sha256,
            upload_expires_at=upload_expires_at,
            uploaded_by_kind=actor.kind,
            uploaded_by_id=actor.id,
        )

    async def _store(self, row: DocumentRow, sanitised: Sanitised) -> DocumentRow:
        await self._storage.write(row.object_key, sanitised.data, sanitised.content_type)
        return await self._documents.mark_stored(
            row.id,
            content_type=sanitised.content_type,
            size=sanitised.size,
            sha256=sanitised.sha256,
        )

    async def _audit(
        self,
        actor: Actor,
        action: str,
        application: ApplicationRef,
        row: DocumentRow,
        *,
        reason: str | None = None,
    ) -> None:
        """The audit row of one thing done to a document; the note names the document."""
        note = f"{row.requirement} {row.id}" + (f": {reason}" if reason else "")
        await write_audit(
            self._conn,
            actor,
            action,
            application_id=application.id,
            unit_code=application.unit_code,
            note=note,
        )

    async def _discard(self, key: str) -> None:
        """Delete a staging object. A failure is logged, not raised: the object is never
        served (only the document key is), and the caller's answer must not be lost."""
        try:
            await self._storage.delete(key)
        except Exception:
            logger.exception("could not delete an uploaded object", extra={"key": key})

    async def list_documents(
        self, actor: Actor, application_id: uuid.UUID, *, cursor: str | None, limit: int
    ) -> DocumentPage:
        application = await application_in_scope(self._conn, actor, application_id)
        after = decode_cursor(cursor, tuple[datetime, uuid.UUID])
        rows = await self._documents.list_for_application(
            application.id, after=after, limit=limit + 1
        )
        page = rows[:limit]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            next_cursor = encode_cursor(last.created_at.isoformat(), str(last.id))
        return DocumentPage(items=[_read(row) for row in page], next_cursor=next_cursor)

    async def download(
        self, actor: Actor, application_id: uuid.UUID, document_id: uuid.UUID
    ) -> DocumentDownload:
        async with self._conn.transaction():
            application = await application_in_scope(self._conn, actor, application_id)
            row = await self._documents.get(application.id, document_id)
            if row is None:
                raise DocumentNotFound()
            if row.status != "stored" or row.content_type is None or row.size is None:
                raise DocumentNotStored(document_status=row.status)
            ttl = timedelta(seconds=self._settings.download_url_ttl_seconds)
            signed_at = datetime.now(UTC)
            extension = _FILE_EXTENSIONS.get(row.content_type, "bin")
            url = self._storage.presigned_get(
                row.object_key, ttl, filename=f"{row.requirement}-{row.id}.{extension}"
            )
            if actor.kind != "citizen":
                # Staff opening a citizen's papers is a read of personal data.
                await self._audit(actor, "document.read", application, row)
        return DocumentDownload(
            document_id=row.id,
            download_url=url,
            expires_at=signed_at + ttl,
            content_type=row.content_type,
            size=row.size,
        )
