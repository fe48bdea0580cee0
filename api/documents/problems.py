"""What can go wrong with a document upload or download, as typed problems (texts in
api/messages/documents.toml)."""

from __future__ import annotations

import uuid
from typing import Any

from api.core.problems import NotFound, Problem
from api.messages import Message, catalogue


def reason_message(reason: str) -> Message:
    """Why a completed upload was refused, for a reason code; a code without an entry of its
    own still gets a (general) explanation rather than failing the refusal."""
    key = f"documents.reasons.{reason}"
    return Message(key if key in catalogue() else "documents.unknown-reason")


class _UploadProblem(Problem):
    """A problem with one upload; ``document_id`` tells the phone which one."""

    def __init__(self, document_id: uuid.UUID, **kwargs: Any) -> None:
        super().__init__(document_id=str(document_id), **kwargs)


class DocumentRejected(_UploadProblem):
    """The file failed a check and was deleted; ``reason`` is its stable code."""

    status = 422
    slug = "document-rejected"
    entry = "documents.problems.document-rejected"

    def __init__(self, document_id: uuid.UUID, reason: str) -> None:
        # The body carries the code; the detail explains it.
        super().__init__(document_id, reason=reason, params={"reason": reason_message(reason)})


class UploadExpired(_UploadProblem):
    status = 410
    slug = "upload-expired"
    entry = "documents.problems.upload-expired"


class UploadMissing(_UploadProblem):
    status = 422
    slug = "upload-missing"
    entry = "documents.problems.upload-missing"


class UploadNotPending(_UploadProblem):
    status = 409
    slug = "upload-not-pending"
    entry = "documents.problems.upload-not-pending"


class DocumentsLocked(Problem):
    status = 409
    slug = "documents-locked"
    entry = "documents.problems.documents-locked"

    def __init__(self, *, application_status: str) -> None:
        super().__init__(application_status=application_status)


class TooManyDocuments(Problem):
    status = 409
    slug = "too-many-documents"
    entry = "documents.problems.too-many-documents"

    def __init__(self, *, limit: int) -> None:
        super().__init__(limit=limit)


class DocumentNotStored(Problem):
    status = 409
    slug = "document-not-stored"
    entry = "documents.problems.document-not-stored"

    def __init__(self, *, document_status: str) -> None:
        super().__init__(document_status=document_status)


class DocumentNotFound(NotFound):
    """The generic not-found type (status and slug), worded for a document."""

    entry = "documents.problems.document-not-found"
