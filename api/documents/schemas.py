"""Request and response shapes of document uploads (photos and scans of papers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

DocumentContentType = Literal[
    "image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"
]
DocumentKind = Literal["input", "result"]
DocumentStatus = Literal["pending", "stored", "rejected"]

# The requirement code officers use for the decision/certificate they hand back.
RESULT_REQUIREMENT = "result"


class DocumentUploadCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    requirement: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=60,
            pattern=r"^[A-Za-z0-9._-]+$",
            description=(
                "A code from the procedure's required_documents, or 'result' for the result "
                "an officer issues"
            ),
        ),
    ]
    content_type: DocumentContentType
    size: Annotated[
        int,
        msgspec.Meta(ge=1, description="Exact byte size of the file (at most MAX_DOCUMENT_BYTES)"),
    ]
    sha256: Annotated[
        str,
        msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file, lowercase hex"),
    ]


class DocumentUploadTicket(msgspec.Struct, frozen=True):
    """Where and how the phone sends the file (a presigned POST form, once); then it calls
    .../complete."""

    document_id: uuid.UUID
    upload_url: Annotated[
        str, msgspec.Meta(description="Send one multipart/form-data POST to this URL")
    ]
    method: Literal["POST"]
    fields: Annotated[
        dict[str, str],
        msgspec.Meta(
            description=(
                "Form fields to send as given, before the file; the file goes last, in a part "
                "named 'file'. Storage refuses any other key, content type or size than declared"
            )
        ),
    ]
    expires_at: Annotated[
        datetime, msgspec.Meta(description="The URL and the upload window close at this time")
    ]


class DocumentRead(msgspec.Struct, frozen=True):
    document_id: uuid.UUID
    requirement: str
    kind: DocumentKind
    status: DocumentStatus
    content_type: Annotated[
        str, msgspec.Meta(description="Of the stored file; the declared type until stored")
    ]
    size: Annotated[
        int, msgspec.Meta(description="Of the stored file; the declared size until stored")
    ]
    created_at: datetime
    completed_at: datetime | None


class DocumentPage(msgspec.Struct, frozen=True):
    items: list[DocumentRead]
    next_cursor: str | None


class DocumentDownload(msgspec.Struct, frozen=True):
    document_id: uuid.UUID
    download_url: Annotated[str, msgspec.Meta(description="A short-lived presigned GET URL")]
    expires_at: datetime
    content_type: str
    size: int
