"""Offline: a draft survives a reload without a connection; Submit works offline and the
application reaches the server exactly once when the connection returns, also when the
connection dropped after the server committed; after one visit the app opens offline with
the catalogue and the citizen's applications."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Route, expect

from api.settings import Settings
from tests.browser.conftest import (
    check_accessibility,
    citizen_with_profile,
    fetch,
    screenshot,
    sign_in,
    wait_for_service_worker,
)
from tests.browser.flows import PROCEDURE, PROCEDURE_NAME, document_photo, fill_residence_form

COUNT = (
    "SELECT a.status, a.receipt_code FROM applications a"
    " JOIN citizens c ON c.id = a.citizen_id WHERE c.phone = $1"
)


def _open_new_draft(page: Page, phone: str) -> None:
    sign_in(page, phone)
    wait_for_service_worker(page)
    page.goto(f"/#/p/{PROCEDURE}")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", name=f"Hồ sơ: {PROCEDURE_NAME}")).to_be_visible()
    # The communes of the chosen province are read once online (then cached).
    page.get_by_label("Nơi đăng ký tạm trú (tỉnh, xã): Tỉnh, thành phố").select_option("01")
    expect(page.locator("option[value='00004']")).to_have_count(1)


def test_draft_survives_a_reload_while_offline(
    page: Page, context: BrowserContext, settings: Settings
) -> None:
    phone, _ = citizen_with_profile(settings)
    _open_new_draft(page, phone)
    context.set_offline(True)
    page.get_by_label("Số nhà, đường phố, thôn, tổ dân phố").fill("5 Ngõ Trạm")
    page.get_by_label("Thời hạn đề nghị tạm trú (tháng)").fill("6")
    page.get_by_label("Mục đích tạm trú").select_option("study")
    page.reload()
    expect(page.get_by_label("Số nhà, đường phố, thôn, tổ dân phố")).to_have_value("5 Ngõ Trạm")
    expect(page.get_by_label("Thời hạn đề nghị tạm trú (tháng)")).to_have_value("6")
    expect(page.get_by_label("Mục đích tạm trú")).to_have_value("study")


def test_submit_offline_then_sent_once_when_back_online(
    page: Page, context: BrowserContext, settings: Settings, tmp_path: Path
) -> None:
    phone, _ = citizen_with_profile(settings)
    _open_new_draft(page, phone)
    context.set_offline(True)
    fill_residence_form(page, document_photo(tmp_path / "p.jpg", 1200, 1600))
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Đang chờ kết nối mạng")).to_be_visible()
    check_accessibility(page, "waiting for a connection")
    screenshot(page, "queued-offline")
    assert fetch(settings, COUNT, phone) == []

    context.set_offline(False)
    expect(page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")).to_be_visible(timeout=30_000)
    rows = fetch(settings, COUNT, phone)
    assert len(rows) == 1 and rows[0]["status"] == "submitted"

    # After one visit the app opens offline with the catalogue and the citizen's applications.
    page.goto("/#/mine")
    expect(page.get_by_text(rows[0]["receipt_code"])).to_be_visible()
    page.goto("/#/")
    expect(page.get_by_role("link", name=PROCEDURE_NAME)).to_be_visible()
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("link", name=PROCEDURE_NAME)).to_be_visible()
    page.get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_text(rows[0]["receipt_code"])).to_be_visible()
    check_accessibility(page, "my applications offline")
    screenshot(page, "mine-offline")


def test_answer_lost_after_the_server_committed_still_one_application(
    page: Page, context: BrowserContext, settings: Settings, tmp_path: Path
) -> None:
    phone, _ = citizen_with_profile(settings)
    _open_new_draft(page, phone)
    fill_residence_form(page, document_photo(tmp_path / "p.jpg", 1200, 1600))
    seen: list[int] = []

    def lose_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()  # the server commits the new application…
        seen.append(response.status)
        if len(seen) == 1:
            route.abort("connectionreset")  # …and the phone never hears of it
        else:
            route.fulfill(response=response)

    context.route("**/api/v1/applications", lose_first_answer)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")).to_be_visible(timeout=30_000)
    assert seen[:2] == [201, 200], seen  # the retry replays the first creation
    rows = fetch(settings, COUNT, phone)
    assert len(rows) == 1 and rows[0]["status"] == "submitted"


def test_one_stuck_item_does_not_hold_up_the_others(
    page: Page, context: BrowserContext, settings: Settings, tmp_path: Path
) -> None:
    phone, _ = citizen_with_profile(settings)
    photo = document_photo(tmp_path / "p.jpg", 800, 1000)
    _open_new_draft(page, phone)
    context.set_offline(True)
    fill_residence_form(page, photo)
    page.get_by_label("Số nhà, đường phố, thôn, tổ dân phố").fill("1 Phố Kẹt")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Đang chờ kết nối mạng")).to_be_visible()
    # The server keeps failing the first one (the route answers 503 for its street)…
    context.route(
        "**/api/v1/applications",
        lambda route: (
            route.fulfill(status=503, json={"type": "/problems/x", "status": 503})
            if route.request.method == "POST" and "Phố Kẹt" in (route.request.post_data or "")
            else route.continue_()
        ),
    )
    context.set_offline(False)
    page.goto(f"/#/p/{PROCEDURE}")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    fill_residence_form(page, photo)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    # …and the second one goes through all the same.
    expect(page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")).to_be_visible(timeout=30_000)
    assert len(fetch(settings, COUNT, phone)) == 1
    page.goto("/#/mine")
    expect(page.get_by_text("Chờ gửi")).to_be_visible()
