"""Vietnamese by default; the English switch changes every screen and the account's language
preference (PATCH /api/v1/me). Public tracking by receipt code needs no sign-in."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from api.settings import Settings
from tests.browser.conftest import (
    check_accessibility,
    citizen_with_profile,
    fetch,
    screenshot,
    sign_in,
)
from tests.browser.flows import PROCEDURE, document_photo, fill_residence_form


def test_english_switch_sets_the_account_language(page: Page, settings: Settings) -> None:
    phone, citizen_id = citizen_with_profile(settings)
    sign_in(page, phone)
    expect(page.get_by_role("heading", name="Thủ tục")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "vi"
    with page.expect_response(lambda r: r.url.endswith("/api/v1/me") and r.ok) as patched:
        page.get_by_role("button", name="English").click()
    assert patched.value.request.post_data_json == {"language": "en"}
    expect(page.get_by_role("heading", name="Procedures")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    [row] = fetch(settings, "SELECT language FROM citizens WHERE id = $1", citizen_id)
    assert row["language"] == "en"
    check_accessibility(page, "home in English")
    screenshot(page, "home-en")

    page.reload()  # the choice stays on the phone too
    expect(page.get_by_role("heading", name="Procedures")).to_be_visible()
    page.goto(f"/#/p/{PROCEDURE}/apply")
    expect(
        page.get_by_role("heading", name="Application: Temporary residence registration")
    ).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    # The server's own texts, in English, announced where they apply.
    expect(page.get_by_text("“Requested duration (months)” is required.")).to_be_visible()
    check_accessibility(page, "form errors in English")
    screenshot(page, "form-errors-en")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Hồ sơ: Đăng ký tạm trú")).to_be_visible()


def test_public_tracking_by_receipt_code(page: Page, settings: Settings, tmp_path: Path) -> None:
    phone, _ = citizen_with_profile(settings)
    sign_in(page, phone)
    page.goto(f"/#/p/{PROCEDURE}/apply")
    fill_residence_form(page, document_photo(tmp_path / "p.jpg", 800, 1000))
    page.get_by_role("button", name="Nộp hồ sơ").click()
    notice = page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")
    expect(notice).to_be_visible(timeout=30_000)
    receipt = notice.inner_text().rsplit(":", 1)[1].strip()

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("link", name="Tra cứu").click()
    page.get_by_label("Mã hồ sơ").fill(receipt)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Trạng thái: Đã nộp")).to_be_visible()
    check_accessibility(page, "tracking")
    screenshot(page, "tracking")
    page.get_by_label("Mã hồ sơ").fill("KHONG-CO-MA-NAY")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Không tìm thấy hồ sơ với mã này.")).to_be_visible()
