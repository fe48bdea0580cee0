"""RFC 9457 problem details: one error shape for every failure, in Vietnamese or English.

Raise ``Problem`` (or a helper below) anywhere; the handlers here turn it, Litestar's own
HTTP errors and unexpected exceptions into ``application/problem+json``. Problem ``type``
values are stable relative URIs under ``/problems/`` and are listed in docs/problems.md.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from redis.exceptions import RedisError

from api.core.i18n import preferred_language
from api.core.logging import request_id_var

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("api.problems")


class FieldProblem(msgspec.Struct, frozen=True):
    path: str
    code: str
    vi: str
    en: str


class Problem(Exception):
    """An error the client can act on. ``slug`` becomes the stable ``type``."""

    def __init__(
        self,
        status: int,
        slug: str,
        title_vi: str,
        title_en: str,
        detail_vi: str | None = None,
        detail_en: str | None = None,
        *,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(title_en)
        self.status = status
        self.slug = slug
        self.title_vi = title_vi
        self.title_en = title_en
        self.detail_vi = detail_vi or title_vi
        self.detail_en = detail_en or title_en
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}


def validation_failed(errors: list[FieldProblem]) -> Problem:
    return Problem(
        422,
        "validation-failed",
        "Dữ liệu không hợp lệ",
        "Invalid data",
        "Một số trường chưa hợp lệ, vui lòng kiểm tra lại.",
        "Some fields are invalid; please check them.",
        errors=errors,
    )


def not_found(what_vi: str = "Không tìm thấy", what_en: str = "Not found") -> Problem:
    return Problem(404, "not-found", what_vi, what_en)


def conflict(slug: str, title_vi: str, title_en: str, **extra: Any) -> Problem:
    return Problem(409, slug, title_vi, title_en, extra=extra)


def too_many_requests(retry_after: int) -> Problem:
    retry_after = max(1, retry_after)
    return Problem(
        429,
        "rate-limited",
        "Quá nhiều yêu cầu",
        "Too many requests",
        f"Vui lòng thử lại sau {retry_after} giây.",
        f"Please try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
        extra={"retry_after": retry_after},
    )


def _body(request: Request[Any, Any, Any], problem: Problem) -> dict[str, Any]:
    lang = preferred_language(request.headers.get("accept-language"))
    body: dict[str, Any] = {
        "type": f"/problems/{problem.slug}",
        "title": problem.title_vi if lang == "vi" else problem.title_en,
        "status": problem.status,
        "detail": problem.detail_vi if lang == "vi" else problem.detail_en,
        "instance": request.url.path,
    }
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    if problem.errors:
        body["errors"] = [
            {"path": e.path, "code": e.code, "message": e.vi if lang == "vi" else e.en}
            for e in problem.errors
        ]
    body.update(problem.extra)
    return body


def problem_response(request: Request[Any, Any, Any], problem: Problem) -> Response[Any]:
    return Response(
        content=_body(request, problem),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


_MSGSPEC_PATH = re.compile(r"at `\$\.?(?P<path>[^`]*)`")
_MSGSPEC_MISSING = re.compile(r"missing required field `(?P<field>[^`]+)`")


def _field_problems(exc: ValidationException) -> list[FieldProblem]:
    """Turn Litestar/msgspec decoding messages into field paths."""
    problems: list[FieldProblem] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        key = str(item.get("key") or "")
        source = str(item.get("source") or "body")
        path = key
        if match := _MSGSPEC_PATH.search(message):
            path = match.group("path").replace("[", ".").replace("]", "")
        if missing := _MSGSPEC_MISSING.search(message):
            path = f"{path}.{missing.group('field')}" if path else missing.group("field")
            problems.append(
                FieldProblem(path, "required", "Trường này là bắt buộc", "This field is required")
            )
            continue
        if source != "body" and key:
            path = key
        problems.append(
            FieldProblem(path or source, "invalid", "Giá trị không hợp lệ", message or "Invalid")
        )
    if not problems:
        problems.append(
            FieldProblem("body", "invalid", "Nội dung yêu cầu không hợp lệ", exc.detail)
        )
    return problems


_HTTP_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("bad-request", "Yêu cầu không hợp lệ", "Bad request"),
    401: ("unauthenticated", "Cần đăng nhập", "Authentication required"),
    403: ("forbidden", "Không có quyền thực hiện", "Forbidden"),
    404: ("not-found", "Không tìm thấy", "Not found"),
    405: ("method-not-allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
    413: ("payload-too-large", "Dữ liệu gửi lên quá lớn", "Payload too large"),
    415: ("unsupported-media-type", "Định dạng không được hỗ trợ", "Unsupported media type"),
    429: ("rate-limited", "Quá nhiều yêu cầu", "Too many requests"),
    503: ("service-unavailable", "Dịch vụ tạm thời không khả dụng", "Service unavailable"),
}


def handle_problem(request: Request[Any, Any, Any], exc: Problem) -> Response[Any]:
    return problem_response(request, exc)


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    return problem_response(request, validation_failed(_field_problems(exc)))


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    slug, title_vi, title_en = _HTTP_PROBLEMS.get(
        exc.status_code, ("http-error", "Lỗi yêu cầu", "Request error")
    )
    headers = dict(exc.headers or {})
    if isinstance(exc, MethodNotAllowedException | NotFoundException):
        detail_en = title_en  # Litestar's own wording may name internals; keep it generic
    else:
        detail_en = exc.detail if exc.detail and exc.detail != title_en else title_en
    problem = Problem(
        exc.status_code, slug, title_vi, title_en, title_vi, detail_en, headers=headers
    )
    return problem_response(request, problem)


def handle_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.error("a backing service is unavailable", extra={"error": repr(exc)})
    problem = Problem(
        503,
        "service-unavailable",
        "Dịch vụ tạm thời không khả dụng",
        "Service temporarily unavailable",
        "Hệ thống đang tạm gián đoạn. Vui lòng thử lại sau ít phút; dữ liệu của bạn không bị mất.",
        "The service is briefly unavailable. Please try again in a few minutes; nothing was lost.",
        headers={"Retry-After": "30"},
    )
    return problem_response(request, problem)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.exception("unhandled error", exc_info=exc)
    problem = Problem(
        500,
        "internal-error",
        "Lỗi hệ thống",
        "Internal error",
        "Đã có lỗi xảy ra. Vui lòng thử lại sau; dữ liệu của bạn không bị thay đổi.",
        "Something went wrong. Please try again later; nothing was changed.",
    )
    return problem_response(request, problem)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    Problem: handle_problem,
    ValidationException: handle_validation,
    NotAuthorizedException: handle_http,
    PermissionDeniedException: handle_http,
    NotFoundException: handle_http,
    MethodNotAllowedException: handle_http,
    TooManyRequestsException: handle_http,
    HTTPException: handle_http,
    # Redis or PostgreSQL out of reach: tell the client to retry rather than report a bug.
    RedisError: handle_unavailable,
    asyncpg.PostgresConnectionError: handle_unavailable,
    asyncpg.InterfaceError: handle_unavailable,
    ConnectionError: handle_unavailable,
    Exception: handle_unexpected,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_JSON",
    "FieldProblem",
    "Problem",
    "conflict",
    "not_found",
    "problem_response",
    "too_many_requests",
    "validation_failed",
]
