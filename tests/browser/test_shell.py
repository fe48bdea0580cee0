"""Installability and the offline shell in real Chromium."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import check_accessibility, screenshot, wait_for_service_worker


def test_app_installs_and_reloads_offline(page: Page, context: BrowserContext) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Thủ tục")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký tạm trú")).to_be_visible()
    wait_for_service_worker(page)
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    check_accessibility(page, "home")
    screenshot(page, "home")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Thủ tục")).to_be_visible()
    expect(page.get_by_text("Không có kết nối mạng")).to_be_visible()
    # The catalogue seen once is there offline, and search ignores accents.
    page.get_by_label("Tìm thủ tục").fill("dang ky tam tru")
    expect(page.get_by_role("link", name="Đăng ký tạm trú")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký khai sinh")).to_have_count(0)
    check_accessibility(page, "home offline")
