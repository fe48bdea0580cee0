"""Counter intake: the officer types the walk-in citizen's CCCD and phone and finds the account
the filing will join (masked name, identity not verified yet), or learns that none holds both."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import check_accessibility, run
from tests.browser.officer.officer_support import LAPTOP, officer, screenshots, sign_in_officer
from tests.conftest import ServedApp
from tests.support import citizen


def _account(settings: Settings) -> tuple[str, str]:
    """A citizen's account with a declared profile: (CCCD, phone)."""

    async def make() -> tuple[str, str]:
        conn = await connect(settings.database_url)
        try:
            citizen_id, _ = await citizen(conn, settings, full_name="Lò Thị Mai")
            row = await conn.fetchrow(
                "SELECT citizen_id_number, phone FROM citizens WHERE id = $1", citizen_id
            )
            assert row is not None
            return str(row["citizen_id_number"]), str(row["phone"])
        finally:
            await conn.close()

    return run(make())


def test_the_intake_screen_shows_the_account_the_filing_joins(
    page: Page, settings: Settings, served_app: ServedApp
) -> None:
    cccd, phone = _account(settings)
    username, _ = officer(settings)
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)

    page.get_by_role("link", name="Tiếp nhận tại quầy").click()
    page.get_by_label(re.compile(r"^Thủ tục")).select_option("CT-TAMTRU")
    page.get_by_label("Số CCCD (12 chữ số)").fill(cccd)
    page.get_by_label("Số điện thoại di động").fill(f"{phone[:4]} {phone[4:7]} {phone[7:]}")
    page.get_by_role("button", name="Tìm tài khoản").click()
    link = page.get_by_test_id("account-link")
    expect(link).to_have_text(
        "Hồ sơ sẽ được liên kết với tài khoản L*** T*** M."
        " Danh tính của tài khoản chưa được xác minh."
    )
    check_accessibility(page, "officer intake, account found")
    screenshots(page, "officer-intake-linked", showing=link)

    # Another number: the earlier answer goes at once, and this one matches no account.
    page.get_by_label("Số điện thoại di động").fill("0399999999")
    expect(link).to_have_count(0)
    page.get_by_role("button", name="Tìm tài khoản").click()
    expect(link).to_contain_text("Không có tài khoản nào có cả số CCCD và số điện thoại này")
