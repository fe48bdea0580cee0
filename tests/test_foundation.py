"""Migrations, health, administrative units, request ids and the problem shape."""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import httpx
from litestar import Litestar, get
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.core.logging import new_request_id, request_id_middleware
from api.core.problems import EXCEPTION_HANDLERS
from api.migrate import apply_migrations, discover
from api.settings import Settings
from tests.conftest import free_port, problem


async def test_migrations_apply_once_and_are_idempotent(db: asyncpg.Connection) -> None:
    names = [p.name for p in discover()]
    applied = await db.fetch("SELECT version FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in applied] == names
    assert await apply_migrations(db) == []  # running again changes nothing
    assert await db.fetchval("SELECT count(*) FROM schema_migrations") == len(names)


async def test_health_reports_every_component(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"] == {"database": "ok", "redis": "ok", "storage": "ok"}


async def test_health_is_503_naming_redis_when_redis_is_unreachable(settings: Settings) -> None:
    broken = settings.with_overrides(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with AsyncTestClient(create_app(broken)) as client:
        response = await client.get("/health")
        english = await client.get("/health", headers={"Accept-Language": "en"})
    body = problem(response, 503, "service-unavailable")
    assert body["failing"] == ["redis"]
    assert body["components"] == {"database": "ok", "redis": "unavailable", "storage": "ok"}
    assert "redis" in body["detail"]
    assert problem(english, 503)["detail"] == "Not working: redis."


async def test_provinces_and_communes_after_2025_reorganisation(client: httpx.AsyncClient) -> None:
    provinces = (await client.get("/api/v1/provinces")).json()["items"]
    assert len(provinces) == 34
    assert {"code": "01", "name_vi": "Hà Nội"}.items() <= provinces[0].items()
    total = 0
    for province in provinces:
        response = await client.get(f"/api/v1/provinces/{province['code']}/communes")
        assert response.status_code == 200
        total += len(response.json()["items"])
    assert total == 3321
    hanoi = (await client.get("/api/v1/provinces/01/communes")).json()["items"]
    assert any(c["code"] == "00004" and c["name_vi"] == "Ba Đình" for c in hanoi)


async def test_unknown_province_is_a_404_problem(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/v1/provinces/99/communes"), 404, "not-found")
    problem(await client.get("/api/v1/provinces/ab/communes"), 422, "validation-failed")


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    ok = await client.get("/api/v1/provinces", headers={"X-Request-ID": "test-request-0001"})
    assert ok.headers["x-request-id"] == "test-request-0001"
    missing = await client.get("/no/such/route")
    body = problem(missing, 404, "not-found")
    assert missing.headers["x-request-id"] == body["request_id"]


def test_request_ids_made_here_are_unique_and_would_be_accepted_back() -> None:
    made = [new_request_id() for _ in range(1_000)]
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{28}", request_id) for request_id in made)


async def test_problem_language_follows_accept_language(client: httpx.AsyncClient) -> None:
    vi = problem(await client.get("/no/such/route"), 404)
    en = problem(await client.get("/no/such/route", headers={"Accept-Language": "en"}), 404)
    assert vi["title"] == "Không tìm thấy"
    assert en["title"] == "Not found"
    assert problem(await client.delete("/health"), 405, "method-not-allowed")


async def test_openapi_document_lists_the_public_contract(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    for path in ("/health", "/api/v1/provinces", "/api/v1/provinces/{code}/communes"):
        assert path in spec["paths"]


# --- every error is a problem ---------------------------------------------------------------

OTP = "/api/v1/auth/otp"
JSON = {"Content-Type": "application/json"}


async def test_a_body_that_is_not_json_is_a_400_problem(client: httpx.AsyncClient) -> None:
    malformed = problem(await client.post(OTP, content=b'{"phone": ', headers=JSON), 400)
    assert malformed["type"] == "/problems/bad-request"
    assert malformed["detail"] == (
        "Nội dung yêu cầu phải là JSON hợp lệ (Content-Type: application/json)."
    )
    english = await client.post(OTP, content=b"{bad", headers={**JSON, "Accept-Language": "en"})
    assert problem(english, 400)["detail"].startswith("The request body must be valid JSON")
    form = await client.post(OTP, data={"phone": "0912345678"})
    problem(form, 400, "bad-request")


async def test_body_validation_names_each_field_in_both_languages(
    client: httpx.AsyncClient,
) -> None:
    async def errors(content: bytes, language: str = "vi") -> list[tuple[str, str, str]]:
        headers = {**JSON, "Accept-Language": language}
        body = problem(await client.post(OTP, content=content, headers=headers), 422)
        assert body["type"] == "/problems/validation-failed"
        return [(e["path"], e["code"], e["message"]) for e in body["errors"]]

    assert await errors(b"") == [
        ("body", "required", "Thiếu nội dung yêu cầu (một đối tượng JSON)")
    ]
    assert await errors(b"{}") == [("phone", "required", "Trường này là bắt buộc")]
    assert await errors(b"[]") == [("body", "wrong_type", "Phải là đối tượng JSON")]
    assert await errors(b'{"phone": 84912345678}', "en") == [
        ("phone", "wrong_type", "Must be a string")
    ]
    assert await errors(b'{"phone": "' + b"9" * 40 + b'"}') == [
        ("phone", "too_long", "Độ dài không được lớn hơn 32 ký tự")
    ]


async def test_query_and_path_validation_names_each_parameter(client: httpx.AsyncClient) -> None:
    params = {"level": "x", "agency_level": "huyen", "limit": "1000"}
    body = problem(await client.get("/api/v1/procedures", params=params), 422)
    assert [(e["path"], e["code"]) for e in body["errors"]] == [
        ("level", "not_an_option"),
        ("agency_level", "not_an_option"),
        ("limit", "above_max"),
    ]
    assert body["errors"][2]["message"] == "Giá trị không được lớn hơn 100"
    english = await client.get(
        "/api/v1/procedures", params={"limit": "0"}, headers={"Accept-Language": "en"}
    )
    assert problem(english, 422)["errors"] == [
        {"path": "limit", "code": "below_min", "message": "Must be at least 1"}
    ]
    wrong_type = problem(await client.get("/api/v1/procedures", params={"limit": "ten"}), 422)
    assert [(e["path"], e["code"]) for e in wrong_type["errors"]] == [("limit", "wrong_type")]


async def test_an_oversized_body_is_a_413_problem(client: httpx.AsyncClient) -> None:
    huge = b'{"phone": "' + b"0" * 1_100_000 + b'"}'  # over the 1 MB JSON body limit
    problem(await client.post(OTP, content=huge, headers=JSON), 413, "payload-too-large")


async def test_nul_characters_are_refused_not_a_crash(client: httpx.AsyncClient) -> None:
    # PostgreSQL text cannot hold NUL: each of these reached the database and failed with 500.
    search = await client.get("/api/v1/procedures", params={"q": "khai\x00sinh"})
    assert search.status_code == 200, search.text
    assert search.json()["items"][0]["code"] == "1.001193"
    body = problem(await client.get("/api/v1/procedures/1.0%00"), 422, "validation-failed")
    assert body["errors"][0]["path"] == "code"
    login = {"username": "canbo\x00", "password": "x"}
    body = problem(await client.post("/api/v1/auth/login", json=login), 422)
    assert body["errors"][0]["path"] == "username"


async def test_an_unexpected_failure_is_a_500_problem_without_internals() -> None:
    @get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app = request_id_middleware(Litestar([boom], exception_handlers=EXCEPTION_HANDLERS))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        response = await http.get("/boom", headers={"Accept-Language": "en"})
    body = problem(response, 500, "internal-error")
    assert body["detail"] == "Something went wrong. Please try again later; nothing was changed."
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert response.headers["x-request-id"] == body["request_id"]


# --- the OpenAPI document and the role guards -------------------------------------------------

# Routes anyone may call; every other route must have a guard.
PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/api/v1/provinces"),
    ("GET", "/api/v1/provinces/{code:str}/communes"),
    ("GET", "/api/v1/procedures"),
    ("GET", "/api/v1/procedures/{code:str}"),
    ("POST", "/api/v1/auth/otp"),
    ("POST", "/api/v1/auth/otp/verify"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("GET", "/api/v1/track/{receipt_code:str}"),
    ("GET", "/api/v1/stats/public"),
    ("GET", "/api/v1/push/vapid-public-key"),
    # The citizen app's files (api/web/static.py).
    ("GET", "/assets/{file_path:path}"),
    ("HEAD", "/assets/{file_path:path}"),
    ("GET", "/{file_path:path}"),
    ("HEAD", "/{file_path:path}"),
    ("GET", "/"),
}


def _api_handlers(app: Litestar) -> list[tuple[str, str, HTTPRouteHandler]]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith("/schema"):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods - {"OPTIONS"}:
                found.append((method, route.path, handler))
    return found


def test_every_route_but_the_public_ones_is_guarded(settings: Settings) -> None:
    handlers = _api_handlers(create_app(settings))
    assert {(method, path) for method, path, _ in handlers} >= PUBLIC_ROUTES
    for method, path, handler in handlers:
        guarded = any(layer.guards for layer in handler.ownership_layers)
        assert guarded == ((method, path) not in PUBLIC_ROUTES), (method, path)
        # The document says which routes need a token.
        assert bool(handler.resolve_security()) == guarded, (method, path)


def _validated(parameter: dict[str, Any]) -> bool:
    """Whether a bad value of this parameter is a 422. A path parameter with nothing but a type
    is the router's business: any text is a str, and a value that is not a UUID finds no route
    (404)."""
    schema = parameter["schema"]
    return parameter["in"] != "path" or bool(set(schema) - {"type", "format"})


async def test_openapi_document_describes_requests_responses_and_errors(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, where
            for code in success:
                if code != "204":
                    assert operation["responses"][code]["content"], where
            if method in ("post", "put", "patch") and "requestBody" in operation:
                assert operation["requestBody"]["content"]["application/json"]["schema"], where
            for code, response in operation["responses"].items():
                if code[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], where
            if operation.get("security"):
                assert {"401"} <= operation["responses"].keys(), where
            if "requestBody" in operation or any(map(_validated, operation.get("parameters", []))):
                assert "422" in operation["responses"], where

    otp = spec["paths"]["/api/v1/auth/otp"]["post"]
    assert {"202", "422", "429"} <= otp["responses"].keys()
    profile = spec["paths"]["/api/v1/me/profile"]["put"]
    assert {"200", "401", "403", "422", "429"} <= profile["responses"].keys()
    assert profile["security"] == [{"bearer": []}]
    assert "security" not in spec["paths"]["/api/v1/procedures"]["get"]
    assert "503" in spec["paths"]["/health"]["get"]["responses"]
    transition = spec["paths"]["/api/v1/applications/{application_id}/transitions"]["post"]
    assert {"200", "401", "403", "404", "409", "422", "503"} <= transition["responses"].keys()
    assert transition["security"] == [{"bearer": []}]
    documents = "/api/v1/applications/{application_id}/documents"
    complete = spec["paths"][documents + "/{document_id}/complete"]["post"]
    assert {"200", "401", "403", "404", "409", "410", "422"} <= complete["responses"].keys()
    track = spec["paths"]["/api/v1/track/{receipt_code}"]["get"]
    assert {"200", "404", "429"} <= track["responses"].keys()
    assert "security" not in track
    schemas = spec["components"]["schemas"]
    field_types = schemas["FieldDefinition"]["properties"]["type"]["enum"]
    assert {"text", "long_text", "number", "date", "select", "boolean", "phone"} <= set(field_types)
    assert {"citizen_id", "admin_unit"} <= set(field_types)
    assert schemas["ProblemDetails"]["required"] == sorted(
        ["type", "title", "status", "detail", "instance", "request_id"]
    )
