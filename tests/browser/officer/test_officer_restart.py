"""The officer's browser quits while items wait, and comes back a day later still without a
link: the app opens from the service worker, the work set and the outbox are still there, and
on reconnection both items reach the server once. The browser keeps its profile on disk (a
persistent context), as a real browser does between restarts."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from api.settings import Settings
from tests.browser.conftest import ARGS, CHROMIUM, fetch, wait_for_service_worker
from tests.browser.flows import document_photo
from tests.browser.officer.officer_support import (
    LAPTOP,
    applications_with_code,
    citizens_application,
    fill_counter_intake,
    officer,
    sign_in_officer,
)
from tests.conftest import ServedApp


def _browser_with_profile(browser: Browser, served_app: ServedApp, profile: Path) -> BrowserContext:
    """A browser process that keeps its storage in ``profile``, so closing it and launching it
    again is a restart, not a new installation."""
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=ARGS,
        headless=True,
        base_url=served_app.base_url,
        viewport=LAPTOP,
        locale="vi-VN",
        extra_http_headers={"X-Forwarded-For": f"203.0.113.{uuid.uuid4().int % 250}"},
    )
    context.set_default_timeout(30_000)
    return context


def _page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def test_the_outbox_survives_a_browser_restart_and_a_day_offline(
    browser: Browser, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    application, _ = citizens_application(settings, served_app.base_url)
    username, _ = officer(settings)
    profile = tmp_path / "profile"

    before = _browser_with_profile(browser, served_app, profile)
    page = _page(before)
    sign_in_officer(page, username)
    wait_for_service_worker(page)
    page.get_by_role("link", name="Đồng bộ", exact=True).click()
    page.get_by_role("button", name="Chuẩn bị làm việc không có mạng").click()
    expect(page.get_by_text("Đã sẵn sàng làm việc không có mạng.")).to_be_visible(timeout=60_000)

    before.set_offline(True)
    page.goto(f"/#/officer/a/{application['id']}")
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    page.get_by_role("button", name="Xác nhận: Tiếp nhận").click()
    expect(page.get_by_text("Đã lưu trên máy; sẽ gửi khi có mạng.")).to_be_visible()
    fill_counter_intake(page, document_photo(tmp_path / "contract.jpg", 1200, 1600))
    page.get_by_role("button", name="Tiếp nhận và in phiếu").click()
    code = page.get_by_test_id("slip-code")
    expect(code).to_have_text(re.compile(r"^00004-\d{6}-\d{4}-[0-9A-Z]{3}$"))
    receipt_code = code.inner_text().strip()
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("2 chờ gửi")
    before.close()  # the browser quits with two items waiting

    # The next day, still without a link: the page's clock runs 25 hours later.
    after = _browser_with_profile(browser, served_app, profile)
    try:
        after.set_offline(True)
        after.clock.install(time=datetime.now() + timedelta(hours=25))
        page = _page(after)
        page.goto("/#/officer")
        expect(page.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()
        a_day_later = (datetime.now() + timedelta(hours=24)).timestamp() * 1000
        assert page.evaluate("Date.now()") > a_day_later
        indicator = page.get_by_test_id("sync-indicator")
        expect(indicator).to_contain_text("Không có mạng")
        expect(indicator).to_contain_text("2 chờ gửi")
        page.goto(f"/#/officer/a/{application['id']}")
        expect(page.get_by_text("Đang xem bản lưu trên máy")).to_be_visible()

        after.set_offline(False)
        expect(indicator).to_contain_text("0 chờ gửi", timeout=60_000)
    finally:
        after.close()

    assert applications_with_code(settings, receipt_code) == [("submitted", "counter", 1)]
    moved = fetch(
        settings,
        "SELECT status, version FROM applications WHERE id = $1::uuid",
        application["id"],
    )
    assert moved == [{"status": "received", "version": application["version"] + 1}]
