"""The procedure catalogue: seeded content, accent-insensitive search, filters, pagination."""

from __future__ import annotations

import httpx

from api.catalogue.forms import parse_field_definitions
from tests.conftest import problem


async def _all(client: httpx.AsyncClient, **params: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": "4", **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/v1/procedures", params=query)).json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_catalogue_is_seeded_with_complete_procedures(client: httpx.AsyncClient) -> None:
    items = await _all(client)
    assert len(items) >= 15
    assert len({item["code"] for item in items}) == len(items)  # pages neither repeat nor skip
    for item in items:
        detail = (await client.get(f"/api/v1/procedures/{item['code']}")).json()
        assert detail["processing_days"] >= 1
        assert detail["legal_basis"], detail["code"]
        assert detail["required_documents"], detail["code"]
        # Every seeded form definition is one the shared validator understands.
        parse_field_definitions(detail["form_fields"])


async def test_search_ignores_diacritics_and_case(client: httpx.AsyncClient) -> None:
    plain = (await client.get("/api/v1/procedures", params={"q": "dang ky khai sinh"})).json()
    assert plain["items"][0]["name_vi"] == "Đăng ký khai sinh"
    upper = (await client.get("/api/v1/procedures", params={"q": "ĐĂNG KÝ KHAI SINH"})).json()
    assert upper["items"][0]["name_vi"] == "Đăng ký khai sinh"
    for q in ("kết hôn", "ket hon", "KET HON"):
        names = [
            i["name_vi"]
            for i in (await client.get("/api/v1/procedures", params={"q": q})).json()["items"]
        ]
        assert "Đăng ký kết hôn" in names, (q, names)


async def test_search_pages_by_rank_without_repeats(client: httpx.AsyncClient) -> None:
    ranked = await _all(client, q="dang ky")
    assert len(ranked) >= 5
    assert len({item["code"] for item in ranked}) == len(ranked)


async def test_filters_by_levels(client: httpx.AsyncClient) -> None:
    province = await _all(client, agency_level="province")
    assert province and all(item["agency_level"] == "province" for item in province)
    online = await _all(client, level="full_online")
    assert all(item["service_level"] == "full_online" for item in online)


async def test_catalogue_errors_are_problems(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/v1/procedures/NO-SUCH"), 404, "not-found")
    body = problem(
        await client.get("/api/v1/procedures", params={"level": "bogus"}), 422, "validation-failed"
    )
    assert body["errors"][0]["path"] == "level"
    problem(await client.get("/api/v1/procedures", params={"cursor": "!!"}), 422)
