"""Real Chromium (Debian's /usr/bin/chromium, headless, never a downloaded browser) driven by
Playwright against the API served on loopback. One browser per session; each test gets a new
context (its own service worker, caches and IndexedDB), a phone-sized viewport and its own
client address so per-IP limits of one test do not touch another."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from api.core.db import connect
from api.settings import Settings
from tests.conftest import ServedApp
from tests.support import citizen

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).resolve().parents[2] / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine beside Playwright's own loop (sync tests have none of their own)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def browser(served_app: ServedApp) -> Iterator[Browser]:
    # After the server (and its database) so their set-up runs outside Playwright's loop, and
    # per module: Playwright's sync API keeps its loop running until it stops, which async
    # tests of other modules cannot share.
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/ensure_browser.sh (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, served_app: ServedApp) -> Iterator[BrowserContext]:
    address = f"203.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    ctx = browser.new_context(
        base_url=served_app.base_url,
        viewport={"width": 360, "height": 640},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        extra_http_headers={"X-Forwarded-For": address},
    )
    # Waits for what a person would see; generous because other work may share the two cores.
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def wait_for_service_worker(page: Page) -> None:
    """Waits until the service worker controls the page (its shell is cached by then)."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def sign_in(page: Page, phone: str) -> None:
    """Signs in through the app's own screens, reading the development OTP from the answer."""
    page.goto("/#/signin")
    page.get_by_label("Số điện thoại di động").fill(phone)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/auth/otp")) as sent:
        page.get_by_role("button", name="Gửi mã").click()
    code = sent.value.json()["dev_code"]
    page.get_by_label("Chữ số 1 của mã").fill(code)  # the first box takes the whole code
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_function("location.hash === '#/'")


def citizen_with_profile(settings: Settings) -> tuple[str, uuid.UUID]:
    """A citizen whose profile is complete: (phone, id)."""

    async def make() -> tuple[str, uuid.UUID]:
        conn = await connect(settings.database_url)
        try:
            citizen_id, _ = await citizen(conn, settings)
            phone = await conn.fetchval("SELECT phone FROM citizens WHERE id = $1", citizen_id)
            return str(phone), citizen_id
        finally:
            await conn.close()

    return run(make())


def fetch(settings: Settings, sql: str, *args: Any) -> list[dict[str, Any]]:
    async def query() -> list[dict[str, Any]]:
        conn = await connect(settings.database_url)
        try:
            return [dict(row) for row in await conn.fetch(sql, *args)]
        finally:
            await conn.close()

    return run(query())


def check_accessibility(page: Page, screen: str) -> None:
    """axe-core (from the app's dev dependencies) finds no serious or critical violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{screen}: " + "; ".join(bad)
