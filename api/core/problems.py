"""RFC 9457 problem details: one error shape for every failure, in Vietnamese or English.

Raise ``Problem`` (or a helper below) anywhere; the handlers here turn it, Litestar's own
HTTP errors and unexpected exceptions into ``application/problem+json``. Problem ``type``
values are stable relative URIs under ``/problems/`` and are listed in docs/problems.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Annotated, Any

import asyncpg
import msgspec
import urllib3
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    SerializationException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.openapi import ResponseSpec
from minio.error import ServerError
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


class InvalidField(msgspec.Struct, frozen=True):
    path: Annotated[str, msgspec.Meta(examples=["address.commune_code"])]
    code: Annotated[str, msgspec.Meta(description="Stable, e.g. required, too_long")]
    message: str


class ProblemDetails(msgspec.Struct, frozen=True):
    """What every error body looks like, for the OpenAPI document. Some problem types add
    members of their own (``retry_after``, ``attempts_left``, …), listed in docs/problems.md."""

    type: Annotated[str, msgspec.Meta(examples=["/problems/validation-failed"])]
    title: Annotated[str, msgspec.Meta(description="Vietnamese, or English on request")]
    status: int
    detail: str
    instance: str
    request_id: str
    errors: (
        Annotated[list[InvalidField], msgspec.Meta(description="Validation problems only")] | None
    ) = None


_RESPONSE_DESCRIPTIONS: dict[int, str] = {
    400: "The body is not valid JSON (bad-request)",
    401: "No valid access token (unauthenticated)",
    403: "The signed-in role may not use this route (forbidden)",
    404: "Not found (not-found)",
    409: "Conflicts with existing data",
    422: "Invalid values; `errors` lists each field by path (validation-failed)",
    423: "Locked (account-locked); see Retry-After",
    429: "Too many requests (rate-limited); see Retry-After",
    503: "A backing service is unavailable (service-unavailable); see Retry-After",
}


def problem_responses(*statuses: int, notes: Mapping[int, str] | None = None) -> dict[int, Any]:
    """OpenAPI ``responses=`` for a route: each status as an ``application/problem+json``
    body. ``notes`` replaces the default description of a status for this route."""
    notes = notes or {}
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            media_type=PROBLEM_JSON,
            description=notes.get(status) or _RESPONSE_DESCRIPTIONS[status],
            generate_examples=False,
        )
        for status in statuses
    }


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


_MSGSPEC_MISSING = re.compile(r"missing required field `(?P<field>[^`]+)`")
_LIST_INDEX = re.compile(r"\[(\d+)\]")
_BODY_KEY = "data"  # Litestar's name for the decoded body; it is never a field of the body

_JSON_KINDS: dict[str, tuple[str, str]] = {
    "str": ("chuỗi ký tự", "a string"),
    "int": ("số nguyên", "a whole number"),
    "float": ("số", "a number"),
    "bool": ("true hoặc false", "true or false"),
    "object": ("đối tượng JSON", "a JSON object"),
    "array": ("mảng JSON", "a JSON array"),
    "null": ("null", "null"),
    "uuid": ("UUID", "a UUID"),
    "date": ("ngày dạng YYYY-MM-DD", "a date (YYYY-MM-DD)"),
}
_COMPARISONS: dict[str, tuple[str, str, str]] = {
    "<=": ("above_max", "không được lớn hơn", "at most"),
    "<": ("above_max", "phải nhỏ hơn", "less than"),
    ">=": ("below_min", "không được nhỏ hơn", "at least"),
    ">": ("below_min", "phải lớn hơn", "greater than"),
}
_WRONG_TYPE = re.compile(r"^Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`$")
_LENGTH = re.compile(r"^Expected `(?P<kind>str|array|object)` of length (?P<op>[<>]=?) (?P<n>\d+)$")
_BOUND = re.compile(r"^Expected `(?:int|float)` (?P<op>[<>]=?) (?P<n>-?[0-9.e+]+)$")
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")


def _kind(name: str) -> tuple[str, str]:
    return _JSON_KINDS.get(name, (name, name))


def _described(message: str) -> tuple[str, str, str]:
    """A stable code and Vietnamese and English wording for one msgspec decoding message."""
    if match := _WRONG_TYPE.match(message):
        want_vi, want_en = _kind(match["want"])
        return "wrong_type", f"Phải là {want_vi}", f"Must be {want_en}, not {match['got']}"
    if match := _LENGTH.match(message):
        code, vi, en = _COMPARISONS[match["op"]]
        vi_unit, en_unit = ("ký tự", "character") if match["kind"] == "str" else ("phần tử", "item")
        en_unit += "" if match["n"] == "1" else "s"
        code = "too_long" if code == "above_max" else "too_short"
        return code, f"Độ dài {vi} {match['n']} {vi_unit}", f"Must be {en} {match['n']} {en_unit}"
    if match := _BOUND.match(message):
        code, vi, en = _COMPARISONS[match["op"]]
        return code, f"Giá trị {vi} {match['n']}", f"Must be {en} {match['n']}"
    if message.startswith("Expected `str` matching regex"):
        return "pattern_mismatch", "Không đúng định dạng", "Not in the expected format"
    if match := _ENUM.match(message):
        return (
            "not_an_option",
            f"Giá trị {match['value']} không nằm trong các giá trị cho phép",
            f"{match['value']} is not one of the allowed values",
        )
    if message.startswith("Invalid RFC3339 encoded date"):
        return (
            "invalid_date",
            "Ngày không hợp lệ (dạng YYYY-MM-DD)",
            "Not a valid date (YYYY-MM-DD)",
        )
    if message.startswith("Invalid UUID"):
        return "invalid_uuid", "Mã định danh (UUID) không hợp lệ", "Not a valid UUID"
    return "invalid", "Giá trị không hợp lệ", message or "Invalid value"


def _field_problems(exc: ValidationException) -> list[FieldProblem]:
    """Turn Litestar/msgspec decoding messages into field paths (``address.street``,
    ``items.0.name``) with a code and wording in both languages."""
    problems: list[FieldProblem] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        key = str(item.get("key") or "")
        in_body = str(item.get("source") or "body") == "body"
        path = "" if in_body and key == _BODY_KEY else _LIST_INDEX.sub(r".\1", key)
        if in_body and key == _BODY_KEY and message == repr(_BODY_KEY):
            # Litestar's KeyError text when there is no body at all.
            problems.append(
                FieldProblem(
                    "body",
                    "required",
                    "Thiếu nội dung yêu cầu (một đối tượng JSON)",
                    "The request body (a JSON object) is missing",
                )
            )
            continue
        if missing := _MSGSPEC_MISSING.search(message):
            field = missing.group("field")
            problems.append(
                FieldProblem(
                    f"{path}.{field}" if path else field,
                    "required",
                    "Trường này là bắt buộc",
                    "This field is required",
                )
            )
            continue
        code, vi, en = _described(message)
        problems.append(FieldProblem(path or "body", code, vi, en))
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
    detail_vi = title_vi
    if isinstance(exc, MethodNotAllowedException | NotFoundException):
        detail_en = title_en  # Litestar's own wording may name internals; keep it generic
    else:
        detail_en = exc.detail if exc.detail and exc.detail != title_en else title_en
    if exc.status_code == 400 and isinstance(exc.__cause__, SerializationException):
        # The body could not be decoded; also what a form or multipart body gets.
        detail_vi = "Nội dung yêu cầu phải là JSON hợp lệ (Content-Type: application/json)."
        detail_en = f"The request body must be valid JSON ({exc.detail})."
    problem = Problem(
        exc.status_code, slug, title_vi, title_en, detail_vi, detail_en, headers=headers
    )
    return problem_response(request, problem)


def handle_unstorable_text(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """PostgreSQL text cannot hold NUL characters: a client error, not a crash. The checks of
    each field should catch them first; this keeps any that slip through a 422."""
    return problem_response(
        request,
        validation_failed(
            [
                FieldProblem(
                    "body",
                    "invalid_character",
                    "Dữ liệu chứa ký tự không được phép (ký tự NUL)",
                    "The request contains a character that is not allowed (NUL)",
                )
            ]
        ),
    )


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
    asyncpg.CharacterNotInRepertoireError: handle_unstorable_text,
    asyncpg.UntranslatableCharacterError: handle_unstorable_text,
    # Redis or PostgreSQL out of reach: tell the client to retry rather than report a bug.
    RedisError: handle_unavailable,
    asyncpg.PostgresConnectionError: handle_unavailable,
    asyncpg.InterfaceError: handle_unavailable,
    ConnectionError: handle_unavailable,
    # Object storage out of reach (urllib3 gave up) or answering with a server error.
    urllib3.exceptions.HTTPError: handle_unavailable,
    ServerError: handle_unavailable,
    Exception: handle_unexpected,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_JSON",
    "FieldProblem",
    "Problem",
    "ProblemDetails",
    "conflict",
    "not_found",
    "problem_response",
    "problem_responses",
    "too_many_requests",
    "validation_failed",
]
