"""A revoked device's outbox is not lost: an intake taken offline (slip printed, final code),
then an administrator revokes the device. Back online the app says the device is revoked and
keeps the outbox, through a reload; the officer signs in again, a new device is registered and
carries the intake: the server holds it once, with the code printed on the slip."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import fetch, run, wait_for_service_worker
from tests.browser.flows import document_photo
from tests.browser.officer.officer_support import (
    LAPTOP,
    PASSWORD,
    applications_with_code,
    fill_counter_intake,
    officer,
    screenshots,
    sign_in_officer,
)
from tests.conftest import ServedApp
from tests.support import staff


def _administrator(settings: Settings) -> dict[str, str]:
    async def make() -> dict[str, str]:
        conn = await connect(settings.database_url)
        try:
            _, headers = await staff(conn, settings, role="system_admin", unit_code=None)
            return headers
        finally:
            await conn.close()

    return run(make())


def test_a_revoked_devices_intake_is_carried_by_the_new_device_after_sign_in(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    username, _ = officer(settings)
    admin = _administrator(settings)
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)
    wait_for_service_worker(page)
    page.get_by_role("link", name="Đồng bộ", exact=True).click()
    page.get_by_role("button", name="Chuẩn bị làm việc không có mạng").click()
    expect(page.get_by_text("Đã sẵn sàng làm việc không có mạng.")).to_be_visible(timeout=60_000)
    (old,) = fetch(
        settings,
        "SELECT d.id::text FROM sync_devices d JOIN staff s ON s.id = d.staff_id"
        " WHERE s.username = $1",
        username,
    )

    context.set_offline(True)
    fill_counter_intake(page, document_photo(tmp_path / "contract.jpg", 1200, 1600))
    page.get_by_role("button", name="Tiếp nhận và in phiếu").click()
    code = page.get_by_test_id("slip-code")
    expect(code).to_have_text(re.compile(r"^00004-\d{6}-\d{4}-[0-9A-Z]{3}$"))
    printed = code.inner_text().strip()

    revoked = httpx.post(
        f"{served_app.base_url}/api/v1/sync/devices/{old['id']}/revoke", headers=admin
    )
    assert revoked.status_code == 200, revoked.text

    context.set_offline(False)
    notice = page.get_by_test_id("device-revoked")
    expect(notice).to_contain_text("Thiết bị này đã bị thu hồi", timeout=60_000)
    expect(notice).to_contain_text("1 thao tác chưa gửi vẫn được giữ")
    page.reload()
    expect(notice).to_contain_text("1 thao tác chưa gửi vẫn được giữ")
    screenshots(page, "officer-revoked")
    assert fetch(settings, "SELECT id FROM applications WHERE receipt_code = $1", printed) == []

    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("0 chờ gửi", timeout=60_000)
    expect(indicator).not_to_contain_text("cần xem lại")

    assert applications_with_code(settings, printed) == [("submitted", "counter", 1)]
    intake_id = fetch(settings, "SELECT id FROM applications WHERE receipt_code = $1", printed)[0][
        "id"
    ]
    devices = fetch(
        settings,
        "SELECT d.id::text, d.revoked_at IS NOT NULL AS revoked FROM sync_devices d"
        " JOIN staff s ON s.id = d.staff_id WHERE s.username = $1 ORDER BY d.registered_at",
        username,
    )
    assert [(d["id"] == old["id"], d["revoked"]) for d in devices] == [(True, True), (False, False)]
    pushed = fetch(
        settings,
        "SELECT device_id::text FROM sync_commands WHERE application_id = $1",
        intake_id,
    )
    assert pushed == [{"device_id": devices[1]["id"]}]
    carried = fetch(
        settings,
        "SELECT origin_device_id::text FROM audit_log"
        " WHERE application_id = $1 AND action = 'sync.command_carried'",
        intake_id,
    )
    assert carried == [{"origin_device_id": old["id"]}]
