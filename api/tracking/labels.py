"""Public names of application statuses, Vietnamese first. Shared with the applications feature
so the officer screens, notifications and public tracking all say the same thing."""

from __future__ import annotations

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "draft": ("Nháp", "Draft"),
    "submitted": ("Đã nộp", "Submitted"),
    "received": ("Đã tiếp nhận", "Received"),
    "returned": ("Trả lại", "Returned"),
    "processing": ("Đang xử lý", "Processing"),
    "supplement_requested": ("Chờ bổ sung hồ sơ", "Awaiting supplementary documents"),
    "approved": ("Đã phê duyệt", "Approved"),
    "rejected": ("Từ chối", "Rejected"),
    "result_issued": ("Đã có kết quả", "Result issued"),
    "completed": ("Hoàn thành", "Completed"),
    "withdrawn": ("Đã rút", "Withdrawn"),
}


def status_label(status: str) -> tuple[str, str]:
    """(Vietnamese, English) label; an unknown status is shown as itself rather than failing."""
    return STATUS_LABELS.get(status, (status, status))
