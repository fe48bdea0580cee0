"""The procedure catalogue: seeded content, accent-insensitive search, filters, pagination."""

from __future__ import annotations

import httpx

from api.catalogue.forms import parse_field_definitions
from api.core.pagination import encode_cursor
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
    everything = {item["code"] for item in await _all(client)}
    by_agency = {level: await _all(client, agency_level=level) for level in ("commune", "province")}
    service_levels = ("info", "partial_online", "full_online")
    by_service = {level: await _all(client, level=level) for level in service_levels}
    for field, groups in (("agency_level", by_agency), ("service_level", by_service)):
        # Each filter keeps exactly its own procedures: together they are the whole catalogue.
        assert sum(len(items) for items in groups.values()) == len(everything), field
        for level, items in groups.items():
            assert all(item[field] == level for item in items), (field, level)
    assert by_agency["commune"] and by_agency["province"]
    assert by_service["full_online"] and by_service["partial_online"]

    both = await _all(client, agency_level="commune", level="full_online")
    assert {i["code"] for i in both} == {i["code"] for i in by_agency["commune"]} & {
        i["code"] for i in by_service["full_online"]
    }


async def test_search_applies_the_filters(client: httpx.AsyncClient) -> None:
    commune = await _all(client, q="dang ky khai sinh", agency_level="commune")
    assert commune[0]["code"] == "1.001193"
    province = await _all(client, q="dang ky khai sinh", agency_level="province")
    assert all(item["agency_level"] == "province" for item in province)
    assert "1.001193" not in {item["code"] for item in province}
    partial = await _all(client, q="dang ky", level="partial_online")
    assert all(item["service_level"] == "partial_online" for item in partial)


async def test_a_search_string_with_control_characters_still_searches(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/procedures", params={"q": "\x00ket\thon\x7f"})
    assert response.status_code == 200, response.text
    assert "Đăng ký kết hôn" in [item["name_vi"] for item in response.json()["items"]]
    too_long = await client.get("/api/v1/procedures", params={"q": "a" * 201})
    assert problem(too_long, 422)["errors"][0]["path"] == "q"


async def test_catalogue_errors_are_problems(client: httpx.AsyncClient) -> None:
    problem(await client.get("/api/v1/procedures/NO-SUCH"), 404, "not-found")
    body = problem(
        await client.get("/api/v1/procedures", params={"level": "bogus"}), 422, "validation-failed"
    )
    assert body["errors"][0]["path"] == "level"
    problem(await client.get("/api/v1/procedures", params={"cursor": "!!"}), 422)


async def test_a_cursor_the_api_did_not_make_is_a_422(client: httpx.AsyncClient) -> None:
    search = {"q": "dang ky", "limit": "2"}
    first = (await client.get("/api/v1/procedures", params=search)).json()
    browse_cursor = (await client.get("/api/v1/procedures", params={"limit": "2"})).json()
    forged = [
        encode_cursor("not-a-rank", "1.001193"),
        encode_cursor(0.5, 7),
        encode_cursor(True, "1.001193"),
        browse_cursor["next_cursor"],  # a cursor of the other ordering
    ]
    for cursor in forged:
        response = await client.get("/api/v1/procedures", params={**search, "cursor": cursor})
        body = problem(response, 422, "validation-failed")
        assert body["errors"][0] == {
            "path": "cursor",
            "code": "invalid_cursor",
            "message": "Con trỏ trang không hợp lệ",
        }
    for cursor in (encode_cursor(None), encode_cursor(3), first["next_cursor"]):
        response = await client.get("/api/v1/procedures", params={"cursor": cursor})
        problem(response, 422, "validation-failed")


async def test_form_fields_are_typed_definitions(client: httpx.AsyncClient) -> None:
    birth = (await client.get("/api/v1/procedures/1.001193")).json()
    fields = {field["name"]: field for field in birth["form_fields"]}
    sex = fields["child_sex"]
    assert sex["type"] == "select" and sex["required"] is True
    assert {option["value"] for option in sex["options"]} == {"male", "female"}
    assert fields["child_date_of_birth"]["not_in_future"] is True
    problem(await client.get("/api/v1/procedures/khai sinh"), 422, "validation-failed")
