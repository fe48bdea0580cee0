"""The app is served by the API at "/": hashed assets immutable for a year; index.html, the
manifest and the service worker revalidated; the manifest makes the app installable."""

from __future__ import annotations

import re
import struct

import httpx

YEAR = 365 * 24 * 3600


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/assets/[^"]+)"', html)


async def test_shell_files_are_revalidated_and_assets_immutable(client: httpx.AsyncClient) -> None:
    index = await client.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert index.headers["cache-control"] == "no-cache"
    assert '<html lang="vi">' in index.text
    for path in ("/manifest.webmanifest", "/sw.js"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-cache", path
    assets = _asset_urls(index.text)
    assert any(url.endswith(".js") for url in assets) and any(
        url.endswith(".css") for url in assets
    )
    for url in assets:
        response = await client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response.headers["cache-control"].split(",")}
        assert directives == {"public", f"max-age={YEAR}", "immutable"}, url
        assert re.search(r"-[0-9a-f]{10}\.", url), f"{url} has no content hash"


async def test_api_health_and_schema_still_answer_beside_the_app(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).status_code in (200, 503)
    assert (await client.get("/schema/openapi.json")).status_code == 200
    response = await client.get("/api/v1/procedures")
    assert response.status_code == 200
    assert (await client.get("/assets/nothing-here.js")).status_code == 404


async def test_manifest_makes_the_app_installable(client: httpx.AsyncClient) -> None:
    response = await client.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["lang"] == "vi"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["name"] and manifest["short_name"] and manifest["theme_color"]
    seen = set()
    for icon in manifest["icons"]:
        png = (await client.get(icon["src"])).content
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert icon["sizes"] == f"{width}x{height}"
        seen.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= seen
