"""RFC 9457 problem details: one error shape for every failure, in Vietnamese or English.

Raise ``Problem`` (or a helper below) anywhere; the handlers here turn it, Litestar's own
HTTP errors and unexpected exceptions into ``application/problem+json``. Problem ``type``
values are stable relative URIs under ``/problems/`` and are listed in docs/problems.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, ClassVar

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
from api.messages import Language, Message, catalogue

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("api.problems")


class FieldProblem:
    """One invalid field: its path (``address.commune_code``), a stable code, and what to tell
    the user (by default the catalogue entry ``core.fields.<code>``)."""

    __slots__ = ("code", "message", "path")

    def __init__(self, path: str, code: str, key: str | None = None, **params: Any) -> None:
        self.path = path
        self.code = code
        self.message = Message(key or f"core.fields.{code}", params)

    def text(self, language: Language) -> str:
        return self.message.render(language)

    def __repr__(self) -> str:
        return f"FieldProblem({self.path!r}, {self.code!r})"


class Problem(Exception):
    """An error the client can act on.

    A subclass names its HTTP ``status``, the stable ``slug`` that becomes the problem
    ``type``, and the catalogue ``entry`` holding its ``title`` (and, when it says more, its
    ``detail``). Keyword arguments become extra members of the problem body and parameters of
    its texts; ``params`` adds text parameters that are not body members, and ``entry`` picks
    another wording for the same type (which thing was not found, say).
    """

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    entry: ClassVar[str] = "core.problems.bad-request"

    def __init__(
        self,
        *,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        entry: str | None = None,
        params: Mapping[str, Any] | None = None,
        **members: Any,
    ) -> None:
        super().__init__(self.slug)
        self.errors = errors or []
        self.headers = headers or {}
        self.members = members
        entry = entry or self.entry
        text_params = {**members, **(params or {})}
        self.title = Message(f"{entry}.title", text_params)
        detail_key = f"{entry}.detail"
        self.detail = Message(detail_key, text_params) if detail_key in catalogue() else None


class BadRequest(Problem):
    status = 400
    slug = "bad-request"
    entry = "core.problems.bad-request"


class Unauthenticated(Problem):
    status = 401
    slug = "unauthenticated"
    entry = "core.problems.unauthenticated"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"}, **kwargs)


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    entry = "core.problems.forbidden"


class NotFound(Problem):
    status = 404
    slug = "not-found"
    entry = "core.problems.not-found"


class ValidationFailed(Problem):
    status = 422
    slug = "validation-failed"
    entry = "core.problems.validation-failed"


class RateLimited(Problem):
    status = 429
    slug = "rate-limited"
    entry = "core.problems.rate-limited"

    def __init__(self, retry_after: int) -> None:
        retry_after = max(1, retry_after)
        super().__init__(headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


class ServiceUnavailable(Problem):
    status = 503
    slug = "service-unavailable"
    entry = "core.problems.service-unavailable"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(headers={"Retry-After": "30"}, **kwargs)


class InternalError(Problem):
    status = 500
    slug = "internal-error"
    entry = "core.problems.internal-error"


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


def validation_failed(errors: Sequence[FieldProblem]) -> Problem:
    return ValidationFailed(errors=list(errors))


def too_many_requests(retry_after: int) -> Problem:
    return RateLimited(retry_after)


# Validation problems listed in one response, at most: a body with thousands of bad keys must
# not produce an error response many times its own size.
MAX_LISTED_ERRORS = 50


def _texts(problem: Problem, language: Language) -> tuple[str, str]:
    title = problem.title.render(language)
    return title, problem.detail.render(language) if problem.detail else title


def _body(request: Request[Any, Any, Any], problem: Problem) -> dict[str, Any]:
    language = preferred_language(request.headers.get("accept-language"))
    title, detail = _texts(problem, language)
    body: dict[str, Any] = {
        "type": f"/problems/{problem.slug}",
        "title": title,
        "status": problem.status,
        "detail": detail,
        "instance": request.url.path,
    }
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    if problem.errors:
        body["errors"] = [
            {"path": e.path, "code": e.code, "message": e.text(language)}
            for e in problem.errors[:MAX_LISTED_ERRORS]
        ]
        if len(problem.errors) > MAX_LISTED_ERRORS:
            body["errors_total"] = len(problem.errors)
    body.update(problem.members)
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

_JSON_KINDS = frozenset({"str", "int", "float", "bool", "object", "array", "null", "uuid", "date"})
_COMPARISONS: dict[str, tuple[str, str]] = {
    "<=": ("above_max", "at_most"),
    "<": ("above_max", "less_than"),
    ">=": ("below_min", "at_least"),
    ">": ("below_min", "greater_than"),
}
_WRONG_TYPE = re.compile(r"^Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`$")
_LENGTH = re.compile(r"^Expected `(?P<kind>str|array|object)` of length (?P<op>[<>]=?) (?P<n>\d+)$")
_BOUND = re.compile(r"^Expected `(?:int|float)` (?P<op>[<>]=?) (?P<n>-?[0-9.e+]+)$")
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<field>[^`]+)`$")


def _kind(name: str) -> Message | str:
    return Message(f"core.json-kinds.{name}") if name in _JSON_KINDS else name


def _described(path: str, message: str) -> FieldProblem:
    """A field problem with a stable code for one msgspec decoding message."""
    if match := _WRONG_TYPE.match(message):
        return FieldProblem(path, "wrong_type", want=_kind(match["want"]))
    if match := _LENGTH.match(message):
        code, comparison = _COMPARISONS[match["op"]]
        unit = "characters" if match["kind"] == "str" else "items"
        return FieldProblem(
            path,
            "too_long" if code == "above_max" else "too_short",
            "core.fields.length",
            comparison=Message(f"core.comparisons.{comparison}"),
            n=match["n"],
            unit=Message(f"core.units.{unit}"),
        )
    if match := _BOUND.match(message):
        code, comparison = _COMPARISONS[match["op"]]
        return FieldProblem(
            path,
            code,
            "core.fields.bound",
            comparison=Message(f"core.comparisons.{comparison}"),
            n=match["n"],
        )
    if message.startswith("Expected `str` matching regex"):
        return FieldProblem(path, "pattern_mismatch")
    if match := _ENUM.match(message):
        return FieldProblem(path, "not_an_option", value=match["value"])
    if message.startswith("Invalid RFC3339 encoded date"):
        return FieldProblem(path, "invalid_date")
    if message.startswith("Invalid UUID"):
        return FieldProblem(path, "invalid_uuid")
    return FieldProblem(path, "invalid")


def _field_problems(exc: ValidationException) -> list[FieldProblem]:
    """Turn Litestar/msgspec decoding messages into field paths (``address.street``,
    ``items.0.name``) with a stable code."""
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
            problems.append(FieldProblem("body", "required", "core.fields.body-required"))
            continue
        if missing := _MSGSPEC_MISSING.search(message):
            field = missing.group("field")
            problems.append(FieldProblem(f"{path}.{field}" if path else field, "required"))
            continue
        if unknown := _UNKNOWN_FIELD.match(message):
            field = unknown.group("field")
            problems.append(FieldProblem(f"{path}.{field}" if path else field, "unknown_field"))
            continue
        problems.append(_described(path or "body", message))
    if not problems:
        problems.append(FieldProblem("body", "invalid", "core.fields.body-invalid"))
    return problems


# Litestar's own HTTP errors: the problem each status becomes.
_HTTP_PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "core.problems.bad-request"),
    401: ("unauthenticated", "core.problems.unauthenticated"),
    403: ("forbidden", "core.problems.forbidden"),
    404: ("not-found", "core.problems.not-found"),
    405: ("method-not-allowed", "core.problems.method-not-allowed"),
    413: ("payload-too-large", "core.problems.payload-too-large"),
    415: ("unsupported-media-type", "core.problems.unsupported-media-type"),
    429: ("rate-limited", "core.problems.rate-limited-generic"),
    503: ("service-unavailable", "core.problems.service-unavailable"),
}


class _HttpProblem(Problem):
    """One of Litestar's own HTTP errors, as a problem of the matching type."""

    def __init__(self, exc: HTTPException) -> None:
        slug, entry = _HTTP_PROBLEMS.get(
            exc.status_code, ("http-error", "core.problems.http-error")
        )
        if exc.status_code == 400 and isinstance(exc.__cause__, SerializationException):
            # The body could not be decoded; also what a form or multipart body gets.
            entry = "core.problems.body-not-json"
        super().__init__(headers=dict(exc.headers or {}), entry=entry)
        self.status = exc.status_code  # type: ignore[misc]
        self.slug = slug  # type: ignore[misc]


def handle_problem(request: Request[Any, Any, Any], exc: Problem) -> Response[Any]:
    return problem_response(request, exc)


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    return problem_response(request, validation_failed(_field_problems(exc)))


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return problem_response(request, _HttpProblem(exc))


def handle_unstorable_text(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """PostgreSQL text cannot hold NUL characters: a client error, not a crash. The checks of
    each field should catch them first; this keeps any that slip through a 422."""
    return problem_response(request, validation_failed([FieldProblem("body", "invalid_character")]))


def handle_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.error("a backing service is unavailable", extra={"error": repr(exc)})
    return problem_response(request, ServiceUnavailable())


def handle_recursion(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """msgspec gives up on JSON nested thousands of levels deep: the client's fault, answered
    with a 400 and one log line (a traceback per hostile request would flood the logs)."""
    if "deserializing" not in str(exc):
        return handle_unexpected(request, exc)
    logger.warning("request body nested too deeply", extra={"path": request.url.path})
    return problem_response(request, BadRequest(entry="core.problems.body-too-deep"))


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(request, InternalError())


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
    RecursionError: handle_recursion,
    Exception: handle_unexpected,
}
