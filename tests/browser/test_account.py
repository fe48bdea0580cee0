"""The account on the phone: signing in adopts the account's saved language (unless one was
chosen on the sign-in screen, which the account then takes); signing out warns when
applications wait on the phone and deletes them only when the citizen confirms."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from api.settings import Settings
from tests.browser.conftest import (
    check_accessibility,
    citizen_with_profile,
    fetch,
    screenshot,
    sign_in,
    wait_for_service_worker,
)
from tests.browser.flows import PROCEDURE, document_photo, fill_residence_form

DRAFTS = """new Promise((done) => {
  const open = indexedDB.open("motcua");
  open.onsuccess = () => {
    const read = open.result.transaction("drafts").objectStore("drafts").getAll();
    read.onsuccess = () => done(read.result.map((d) => d.state));
  };
})"""


def test_sign_in_adopts_the_accounts_language(page: Page, settings: Settings) -> None:
    phone, citizen_id = citizen_with_profile(settings)
    fetch(settings, "UPDATE citizens SET language = 'en' WHERE id = $1", citizen_id)
    sign_in(page, phone)  # the sign-in screens in Vietnamese, the phone's default
    expect(page.get_by_role("heading", name="Procedures")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.get_by_role("heading", name="Procedures")).to_be_visible()


def test_language_chosen_before_sign_in_goes_to_the_account(page: Page, settings: Settings) -> None:
    phone, citizen_id = citizen_with_profile(settings)  # saved language: vi
    page.goto("/#/signin")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Mobile number").fill(phone)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/auth/otp")) as sent:
        page.get_by_role("button", name="Send code").click()
    page.get_by_label("Digit 1 of the code").fill(sent.value.json()["dev_code"])
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/me") and r.request.method == "PATCH"
    ) as patched:
        page.get_by_role("button", name="Confirm").click()
    assert patched.value.ok and patched.value.request.post_data_json == {"language": "en"}
    expect(page.get_by_role("heading", name="Procedures")).to_be_visible()
    [row] = fetch(settings, "SELECT language FROM citizens WHERE id = $1", citizen_id)
    assert row["language"] == "en"


def test_sign_out_warns_about_waiting_applications_and_keeps_them_unless_confirmed(
    page: Page, context: BrowserContext, settings: Settings, tmp_path: Path
) -> None:
    phone, citizen_id = citizen_with_profile(settings)
    sign_in(page, phone)
    wait_for_service_worker(page)
    page.goto(f"/#/p/{PROCEDURE}")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    fill_residence_form(page, document_photo(tmp_path / "p.jpg", 800, 1000))
    context.set_offline(True)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Đang chờ kết nối mạng.")).to_be_visible()

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng xuất?")).to_be_visible()
    expect(page.get_by_text("Trên máy này còn 1 hồ sơ chưa gửi.")).to_be_visible()
    expect(page.get_by_text("Chờ gửi")).to_be_visible()
    check_accessibility(page, "sign-out warning")
    screenshot(page, "signout-warning")
    page.get_by_role("button", name="Ở lại, giữ hồ sơ").click()
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    assert page.evaluate(DRAFTS) == ["queued"]

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_role("button", name="Vẫn đăng xuất và xóa hồ sơ chưa gửi").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    assert page.evaluate(DRAFTS) == []
    context.set_offline(False)
    page.reload()
    expect(page.get_by_label("Tìm thủ tục")).to_be_visible()
    assert fetch(settings, "SELECT 1 FROM applications WHERE citizen_id = $1", citizen_id) == []
