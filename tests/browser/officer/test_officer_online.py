"""The officer online: sign in, see the queue with its SLA colours, receive and process a
citizen's application, ask for a supplement listing two documents at once, see the citizen's
resubmission, approve, upload and issue the result, print the receipt slip."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from api.settings import Settings
from tests.browser.conftest import check_accessibility
from tests.browser.flows import document_photo
from tests.browser.officer.officer_support import (
    LAPTOP,
    PHONE,
    citizen_supplies,
    citizens_application,
    officer,
    screenshots,
    sign_in_officer,
)
from tests.conftest import ServedApp


def _status(served_app: ServedApp, headers: dict[str, str], application_id: str) -> str:
    response = httpx.get(
        f"{served_app.base_url}/api/v1/applications/{application_id}", headers=headers
    )
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


def _move(page: Page, action: str) -> None:
    page.get_by_role("button", name=action, exact=True).click()
    page.get_by_role("button", name=f"Xác nhận: {action}").click()
    expect(page.get_by_text(f"Đã thực hiện: {action}.")).to_be_visible()


def test_officer_processes_an_application_with_one_complete_supplement_request(
    page: Page, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    application, citizen_headers = citizens_application(settings, served_app.base_url)
    app_id = application["id"]
    username, officer_headers = officer(settings)
    page.set_viewport_size(LAPTOP)

    sign_in_officer(page, username, shoot=True)
    item = page.locator(f'a[href="#/officer/a/{app_id}"]')
    expect(item).to_be_visible()
    expect(item.locator(".sla")).to_have_text(
        re.compile(r"^(Trong hạn|Sắp đến hạn) · còn \d+ ngày làm việc$")
    )
    check_accessibility(page, "officer queue")
    screenshots(page, "officer-queue")

    page.get_by_label("Thời hạn").select_option("overdue")
    expect(item).to_have_count(0)
    page.get_by_label("Thời hạn").select_option("")
    expect(item).to_be_visible()

    item.click()
    expect(page.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
    _move(page, "Tiếp nhận")
    _move(page, "Bắt đầu xử lý")

    # One complete request: both documents at once, each with its reason.
    page.get_by_role("button", name="Yêu cầu bổ sung", exact=True).click()
    page.get_by_role("button", name="Xác nhận: Yêu cầu bổ sung").click()
    expect(page.get_by_text("Cần nhập lời nhắn cho công dân.")).to_be_visible()
    expect(page.locator("fieldset.missing input[type=checkbox]")).to_have_count(3)
    page.get_by_label("Giấy chứng sinh (hoặc văn bản", exact=False).check()
    page.get_by_label("Văn bản ủy quyền (nếu đăng ký thay cha, mẹ)", exact=True).check()
    page.get_by_label("Lý do cần bổ sung: Giấy chứng sinh").fill("Ảnh mờ, chụp lại rõ số giấy")
    page.get_by_label("Lý do cần bổ sung: Văn bản ủy quyền").fill(
        "Người nộp không phải cha mẹ: cần uỷ quyền"
    )
    page.get_by_label("Lời nhắn chung cho công dân").fill(
        "Vui lòng bổ sung một lần các giấy tờ sau"
    )
    page.get_by_role("button", name="Xác nhận: Yêu cầu bổ sung").click()
    expect(page.get_by_text("Hãy xác nhận đã liệt kê đủ mọi giấy tờ còn thiếu.")).to_be_visible()
    page.get_by_label("Tôi đã kiểm tra toàn bộ hồ sơ").check()
    check_accessibility(page, "officer supplement form")
    screenshots(page, "officer-supplement")
    page.get_by_role("button", name="Xác nhận: Yêu cầu bổ sung").click()
    expect(page.get_by_text("Đã thực hiện: Yêu cầu bổ sung.")).to_be_visible()
    assert _status(served_app, officer_headers, app_id) == "supplement_requested"
    detail = httpx.get(
        f"{served_app.base_url}/api/v1/applications/{app_id}", headers=officer_headers
    ).json()
    codes = sorted(m["requirement"] for m in detail["supplement_request"]["missing_documents"])
    assert codes == ["GIAY_CHUNG_SINH", "VAN_BAN_UY_QUYEN"]

    citizen_supplies(settings, served_app.base_url, app_id, citizen_headers, codes)
    page.reload()
    expect(page.get_by_role("button", name="Phê duyệt", exact=True)).to_be_visible()
    _move(page, "Phê duyệt")

    page.get_by_role("button", name="Trả kết quả", exact=True).click()
    page.get_by_label("Tệp kết quả (ảnh hoặc PDF)").set_input_files(
        str(document_photo(tmp_path / "result.jpg", 1200, 1600))
    )
    page.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    expect(page.get_by_text("Đã thực hiện: Trả kết quả.")).to_be_visible()
    assert _status(served_app, officer_headers, app_id) == "result_issued"
    check_accessibility(page, "officer detail")
    # The form reads as the citizen filled it: the procedure's labels and the chosen option.
    relationship = page.locator("dt", has_text="Quan hệ của người đi đăng ký với trẻ")
    expect(relationship.locator("xpath=following-sibling::dd[1]")).to_have_text("Mẹ")
    expect(page.get_by_text("relationship_to_child")).to_have_count(0)
    screenshots(page, "officer-detail")
    page.set_viewport_size(PHONE)

    page.get_by_role("link", name="In phiếu tiếp nhận").click()
    expect(page.get_by_test_id("slip-code")).to_have_text(application["receipt_code"])
    expect(page.locator(".slip-qr svg")).to_be_visible()
    page.get_by_label("Giấy nhiệt 80 mm").check()
    check_accessibility(page, "receipt slip")
    screenshots(page, "officer-slip")
