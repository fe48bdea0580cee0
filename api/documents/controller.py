from __future__ import annotations

import uuid
from typing import Annotated

import asyncpg
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.core.actors import Actor, signed_in
from api.core.problems import problem_responses
from api.documents.schemas import (
    DocumentDownload,
    DocumentPage,
    DocumentRead,
    DocumentUploadCreate,
    DocumentUploadTicket,
)
from api.documents.service import DocumentService

_NOT_FOUND = "No such application or document, or out of the caller's reach (not-found)"


def _service(db: asyncpg.Connection, state: State) -> DocumentService:
    return DocumentService(db, state.storage, state.settings)


class DocumentController(Controller):
    path = "/applications/{application_id:uuid}/documents"
    tags = ["Documents"]
    guards = [signed_in]
    security = [{"bearer": []}]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Start a document upload: declare the file, get a presigned POST form",
        description=(
            "The citizen adds input documents while the application is a draft or awaits a "
            "supplement; staff in scope add the 'result' while it is approved, and input "
            "documents to a counter-intake draft. POST the form fields and then the file (part "
            "'file') as multipart/form-data to upload_url before expires_at, then call "
            ".../complete. The form is single-use: after completion nothing sent to it is read."
        ),
        responses=problem_responses(
            400,
            401,
            403,
            404,
            409,
            422,
            notes={
                403: "The caller may not add this kind of document to this application (forbidden)",
                404: _NOT_FOUND,
                409: "The application's status does not allow it (documents-locked), or it has "
                "too many uploads already (too-many-documents)",
                422: "Invalid values, e.g. over the size limit or a requirement the procedure "
                "does not have (validation-failed)",
            },
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
            "successful completion returns the stored document."
        ),
        responses=problem_responses(
            400,
            401,
            403,
            404,
            409,
            410,
            422,
            503,
            notes={
                400: "Malformed request",
                403: "Someone else started this upload, or the caller may no longer add it "
                "(forbidden)",
                404: _NOT_FOUND,
                409: "This upload was already refused (upload-not-pending), or the "
                "application's status no longer allows it (documents-locked)",
                410: "The upload window closed; start again (upload-expired)",
                422: "The file was refused and deleted (document-rejected, with reason), or "
                "nothing was PUT yet: retry after the upload (upload-missing)",
            },
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

    @get(
        "/",
        summary="The documents of an application, oldest first",
        responses=problem_responses(
            400, 401, 404, 422, notes={400: "Malformed request", 404: _NOT_FOUND}
        ),
    )
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
        description=("Staff downloads are recorded in the audit log as reads of personal data."),
        responses=problem_responses(
            400,
            401,
            404,
            409,
            503,
            notes={
                400: "Malformed request",
                404: _NOT_FOUND,
                409: "The document is not stored, e.g. still pending or refused "
                "(document-not-stored)",
            },
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
