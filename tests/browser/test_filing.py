"""A citizen files an application from the phone: sign in by OTP, declare the profile once,
fill the procedure's form, attach a photo made small on the phone, submit, see the receipt."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from api.settings import Settings
from tests.browser.conftest import check_accessibility, fetch, screenshot, sign_in
from tests.browser.flows import (
    PROCEDURE,
    PROCEDURE_NAME,
    document_photo,
    fill_profile,
    fill_residence_form,
    image_size,
    stored_object,
)
from tests.support import random_phone


def test_sign_in_profile_file_with_photo_and_submit(
    page: Page, settings: Settings, tmp_path: Path
) -> None:
    photo = document_photo(tmp_path / "giay-to.jpg")
    assert photo.stat().st_size > 600_000

    page.goto("/#/signin")
    check_accessibility(page, "sign-in")
    screenshot(page, "signin")
    phone = random_phone()
    sign_in(page, phone)

    page.goto(f"/#/p/{PROCEDURE}")
    expect(page.get_by_role("heading", name=PROCEDURE_NAME)).to_be_visible()
    check_accessibility(page, "procedure")
    screenshot(page, "procedure")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # First application: the profile is declared once, then the form opens.
    expect(page.get_by_role("heading", name="Thông tin cá nhân")).to_be_visible()
    page.get_by_label("Số CCCD (12 chữ số)").fill("12345")
    page.get_by_label("Số CCCD (12 chữ số)").blur()
    expect(page.get_by_text("Số CCCD chưa đúng")).to_be_visible()
    check_accessibility(page, "profile")
    screenshot(page, "profile")
    fill_profile(page)

    fill_residence_form(page, photo)
    check_accessibility(page, "form")
    screenshot(page, "form")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    notice = page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")
    expect(notice).to_be_visible(timeout=30_000)
    check_accessibility(page, "submitted")
    screenshot(page, "submitted")
    receipt = notice.inner_text().rsplit(":", 1)[1].strip()

    rows = fetch(
        settings,
        "SELECT a.id, a.status, a.receipt_code FROM applications a"
        " JOIN citizens c ON c.id = a.citizen_id WHERE c.phone = $1",
        phone,
    )
    assert len(rows) == 1
    assert rows[0]["status"] == "submitted"
    assert rows[0]["receipt_code"] == receipt
    documents = fetch(
        settings,
        "SELECT object_key, size, status FROM application_documents WHERE application_id = $1",
        rows[0]["id"],
    )
    assert [d["status"] for d in documents] == ["stored"]
    assert documents[0]["size"] <= 600 * 1024
    stored = stored_object(settings, documents[0]["object_key"])
    assert len(stored) <= 600 * 1024
    assert max(image_size(stored)) <= 2000
