"""The officer offline: prepare the device, lose the link, take a walk-in citizen's papers at
the counter (photo, final receipt code, slip) and move two applications, reload while still
offline, reconnect. The server holds the intake with the device's code and its photo once, the
move applied, and the move a colleague overtook listed as a conflict for the officer."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from api.settings import Settings
from tests.browser.conftest import check_accessibility, fetch, wait_for_service_worker
from tests.browser.flows import document_photo
from tests.browser.officer.officer_support import (
    LAPTOP,
    applications_with_code,
    citizens_application,
    fill_counter_intake,
    officer,
    screenshots,
    sign_in_officer,
)
from tests.conftest import ServedApp


def _receive_offline(page: Page, app_id: str) -> None:
    page.goto(f"/#/officer/a/{app_id}")
    expect(page.get_by_text("Đang xem bản lưu trên máy")).to_be_visible()
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    page.get_by_role("button", name="Xác nhận: Tiếp nhận").click()
    expect(page.get_by_text("Đã lưu trên máy; sẽ gửi khi có mạng.")).to_be_visible()


def test_offline_intake_and_moves_sync_on_reconnection_with_the_conflict_listed(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    moved, _ = citizens_application(settings, served_app.base_url)
    overtaken, _ = citizens_application(settings, served_app.base_url)
    username, _ = officer(settings)
    _, colleague = officer(settings)
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)
    wait_for_service_worker(page)

    page.get_by_role("link", name="Đồng bộ", exact=True).click()
    page.get_by_role("button", name="Chuẩn bị làm việc không có mạng").click()
    expect(page.get_by_text("Đã sẵn sàng làm việc không có mạng.")).to_be_visible(timeout=60_000)
    check_accessibility(page, "officer sync")
    screenshots(page, "officer-sync")

    context.set_offline(True)
    _receive_offline(page, moved["id"])
    _receive_offline(page, overtaken["id"])
    # Meanwhile a colleague, online, receives the second one first.
    answer = httpx.post(
        f"{served_app.base_url}/api/v1/applications/{overtaken['id']}/transitions",
        json={"action": "receive", "expected_version": overtaken["version"]},
        headers=colleague,
    )
    assert answer.status_code == 200, answer.text

    fill_counter_intake(page, document_photo(tmp_path / "contract.jpg", 1200, 1600))
    expect(page.get_by_text("Ảnh 1:")).to_be_visible()
    check_accessibility(page, "officer intake")
    screenshots(page, "officer-intake")
    page.get_by_role("button", name="Tiếp nhận và in phiếu").click()
    code = page.get_by_test_id("slip-code")
    expect(code).to_have_text(re.compile(r"^00004-\d{6}-\d{4}-[0-9A-Z]{3}$"))
    receipt_code = code.inner_text().strip()
    screenshots(page, "officer-slip-offline")

    page.reload()  # still offline: everything is still there
    expect(page.get_by_test_id("slip-code")).to_have_text(receipt_code)
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("Không có mạng")
    expect(indicator).to_contain_text("3 chờ gửi")

    context.set_offline(False)
    expect(indicator).to_contain_text("0 chờ gửi", timeout=60_000)
    expect(indicator).to_contain_text("1 cần xem lại")

    assert applications_with_code(settings, receipt_code) == [("submitted", "counter", 1)]
    statuses = fetch(
        settings,
        "SELECT id::text, status, version FROM applications WHERE id = ANY($1::uuid[])",
        [moved["id"], overtaken["id"]],
    )
    by_id = {row["id"]: row for row in statuses}
    assert by_id[moved["id"]]["status"] == "received"
    assert (
        by_id[overtaken["id"]]["version"] == overtaken["version"] + 1
    )  # the colleague's move only

    page.goto("/#/officer/sync")
    expect(page.get_by_text("Hồ sơ đã được người khác thay đổi trước")).to_be_visible()
    check_accessibility(page, "officer conflicts")
    screenshots(page, "officer-conflict")
    page.get_by_role("button", name="Giữ bản trên máy chủ").click()
    expect(page.get_by_text("Không có xung đột.")).to_be_visible()
