"""Migrations, health, administrative units, request ids and the problem shape."""

from __future__ import annotations

import asyncpg
import httpx
from litestar.testing import AsyncTestClient

from api.app import create_app
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
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert body["components"]["database"] == "ok"
    assert body["components"]["storage"] == "ok"


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
