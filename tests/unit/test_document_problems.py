"""Document problems read their texts from the catalogue, the refusal reason included."""

from __future__ import annotations

import uuid
from typing import get_args

from api.core.problems import FieldProblem
from api.documents.inspection import RejectReason
from api.documents.problems import DocumentRejected, reason_message
from api.messages import catalogue

# Found by the upload service itself rather than by inspection.
_SERVICE_REASONS = ("size_mismatch", "checksum_mismatch")


def test_every_reason_code_has_an_explanation() -> None:
    missing = [
        reason
        for reason in (*get_args(RejectReason), *_SERVICE_REASONS)
        if f"documents.reasons.{reason}" not in catalogue()
    ]
    assert not missing


def test_the_rejection_explains_its_reason_in_the_reader_s_language() -> None:
    document_id = uuid.uuid4()
    problem = DocumentRejected(document_id, "polyglot")
    assert problem.members == {"document_id": str(document_id), "reason": "polyglot"}
    assert problem.detail is not None
    assert problem.detail.render("vi") == (
        "Tệp chứa dữ liệu ẩn hoặc nội dung thực thi không được phép. Vui lòng tải lên lại."
    )
    assert problem.detail.render("en") == (
        "The file hides other data or active content. Please upload it again."
    )
    assert problem.title.render("en") == "Document rejected"


def test_a_reason_without_an_entry_still_gets_an_explanation() -> None:
    assert reason_message("something_new").render("en") == "The file is not valid."
    problem = DocumentRejected(uuid.uuid4(), "something_new")
    assert problem.members["reason"] == "something_new"
    assert problem.detail is not None
    assert problem.detail.render("vi") == "Tệp không hợp lệ. Vui lòng tải lên lại."


def test_an_encrypted_pdf_is_explained() -> None:
    assert reason_message("encrypted_pdf").render("vi") == (
        "Tệp PDF được đặt mật khẩu hoặc mã hóa; vui lòng gửi bản không khóa."
    )


def test_the_size_limit_reads_in_whole_megabytes() -> None:
    field = FieldProblem("size", "too_large", "documents.fields.size-too-large", limit_mb=10.0)
    assert field.text("vi") == "Tệp không được lớn hơn 10 MB"
    assert field.text("en") == "The file must not be larger than 10 MB"
