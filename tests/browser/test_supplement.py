"""Supplement round trip: an officer asks for a document again; the citizen sees what is asked
on the application's page, uploads a new photo and resubmits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import (
    check_accessibility,
    citizen_with_profile,
    fetch,
    run,
    screenshot,
    sign_in,
    wait_for_service_worker,
)
from tests.browser.flows import PROCEDURE, document_photo, fill_residence_form
from tests.conftest import ServedApp
from tests.support import staff

REASON = "Ảnh hợp đồng thuê nhà bị mờ, vui lòng chụp lại"


def _officer_headers(settings: Settings) -> dict[str, str]:
    async def make() -> dict[str, str]:
        conn = await connect(settings.database_url)
        try:
            return (await staff(conn, settings))[1]
        finally:
            await conn.close()

    return run(make())


def _move(
    http: httpx.Client, headers: dict[str, str], app: dict[str, Any], action: str, **extra: Any
) -> dict[str, Any]:
    response = http.post(
        f"/api/v1/applications/{app['id']}/transitions",
        json={"action": action, "expected_version": app["version"], **extra},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_officer_asks_for_a_document_citizen_uploads_and_resubmits(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    phone, _ = citizen_with_profile(settings)
    sign_in(page, phone)
    wait_for_service_worker(page)
    page.goto(f"/#/p/{PROCEDURE}")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    fill_residence_form(page, document_photo(tmp_path / "first.jpg", 1200, 1600))
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")).to_be_visible(timeout=30_000)
    [row] = fetch(
        settings,
        "SELECT a.id FROM applications a JOIN citizens c ON c.id = a.citizen_id WHERE c.phone = $1",
        phone,
    )

    officer = _officer_headers(settings)
    with httpx.Client(base_url=served_app.base_url, timeout=30) as http:
        app = http.get(f"/api/v1/applications/{row['id']}", headers=officer).json()
        app = _move(http, officer, app, "receive")
        app = _move(http, officer, app, "start")
        _move(
            http,
            officer,
            app,
            "request_supplement",
            note="Bổ sung giấy tờ chỗ ở",
            missing_documents=[{"requirement": "CHO_O_HOP_PHAP", "reason": REASON}],
        )

    page.goto("/#/mine")
    page.get_by_role("link", name="Đăng ký tạm trú").first.click()
    expect(page.get_by_text("Chờ bổ sung hồ sơ").first).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    # What is asked, by the document's name (the procedure's), not its code.
    expect(page.locator("main li").filter(has_text=REASON)).to_contain_text(
        "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"
    )
    expect(page.get_by_text("CHO_O_HOP_PHAP")).to_have_count(0)
    check_accessibility(page, "application detail")
    screenshot(page, "application-supplement")
    page.get_by_role("button", name="Bổ sung giấy tờ").click()
    page.get_by_label(
        "Chọn ảnh hoặc tệp: Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"
    ).set_input_files(str(document_photo(tmp_path / "again.jpg", 1200, 1600)))
    expect(page.get_by_text("Ảnh 1 —")).to_be_visible()
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    expect(page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")).to_be_visible(timeout=30_000)

    [after] = fetch(settings, "SELECT status FROM applications WHERE id = $1", row["id"])
    assert after["status"] != "supplement_requested"
    stored = fetch(
        settings,
        "SELECT count(*) AS n FROM application_documents"
        " WHERE application_id = $1 AND status = 'stored'",
        row["id"],
    )
    assert stored[0]["n"] == 2
