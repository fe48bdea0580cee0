from __future__ import annotations

import uuid
from typing import Annotated

import asyncpg
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.core.actors import Actor, signed_in
from api.documents.schemas import (
    DocumentDownload,
    DocumentPage,
    DocumentRead,
    DocumentUploadCreate,
    DocumentUploadTicket,
)
from api.documents.service import DocumentService


def _service(db: asyncpg.Connection, state: State) -> DocumentService:
    return DocumentService(db, state.storage, state.settings)


class DocumentController(Controller):
    path = "/api/v1/applications/{application_id:uuid}/documents"
    tags = ["Documents"]
    guards = [signed_in]
    security = [{"bearer": []}]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Start a document upload: declare the file, get a presigned PUT URL",
        description=(
            "The citizen adds input documents while the application is a draft or awaits a "
            "supplement; staff in scope add the 'result' while it is approved, and input "
            "documents to a counter-intake draft. PUT the file to upload_url with the given "
            "headers before expires_at, then call .../complete. Problems: validation-failed "
            "(422; size over the limit, unknown requirement), documents-locked (409; the "
            "application's status does not allow it), too-many-documents (409), forbidden (403)."
        ),
    )
    async def start_upload(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        data: DocumentUploadCreate,
    ) -> DocumentUploadTicket:
        return await _service(db, state).start_upload(actor, application_id, data)

    @post(
        "/{document_id:uuid}/complete",
        status_code=HTTP_200_OK,
        summary="Finish an upload: the server checks the file, strips photo metadata, stores it",
        description=(
            "Refused files (wrong type, size or SHA-256, polyglots, undecodable) are deleted "
            "and answered with the problem document-rejected and a reason code. Repeating a "
            "successful completion returns the stored document. Other problems: upload-missing "
            "(422; nothing was PUT yet, retry after the upload), upload-expired (410; start "
            "again), upload-not-pending (409; this upload was already refused)."
        ),
    )
    async def complete_upload(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        document_id: uuid.UUID,
    ) -> DocumentRead:
        return await _service(db, state).complete_upload(actor, application_id, document_id)

    @get("/", summary="The documents of an application, oldest first")
    async def list_documents(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        cursor: Annotated[str | None, Parameter(max_length=200)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 50,
    ) -> DocumentPage:
        return await _service(db, state).list_documents(
            actor, application_id, cursor=cursor, limit=limit
        )

    @get(
        "/{document_id:uuid}",
        summary="A short-lived download URL for a stored document",
        description=(
            "Staff downloads are recorded in the audit log as reads of personal data. "
            "Problems: document-not-stored (409)."
        ),
    )
    async def download(
        self,
        db: asyncpg.Connection,
        state: State,
        actor: Actor,
        application_id: uuid.UUID,
        document_id: uuid.UUID,
    ) -> DocumentDownload:
        return await _service(db, state).download(actor, application_id, document_id)
