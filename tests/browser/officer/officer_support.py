"""What the officer's browser tests share: an officer who signs in with a real password, a
citizen's application submitted through the API, and the officer's sign-in through the app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import fetch, run, screenshot
from tests.browser.flows import fill_residence_fields
from tests.support import citizen, staff_with_password
from tests.test_applications import store_documents, submitted

PASSWORD = "mat-khau-thu-nghiem-1"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 640}


def screenshots(page: Page, name: str, showing: Locator | None = None) -> None:
    """The screen as it is now at the desk's laptop size and a phone's, as ``name``-1280 and
    ``name``-360 in the artifacts folder, scrolled to ``showing`` when given, after checking
    that it is no wider than either; the page keeps its own size afterwards."""
    size = page.viewport_size
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        if showing is not None:
            showing.scroll_into_view_if_needed()
        # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} is {width} px wide at {viewport['width']}"
        screenshot(page, f"{name}-{viewport['width']}")
    if size is not None:
        page.set_viewport_size(size)


def officer(settings: Settings, unit_code: str = "00004") -> tuple[str, dict[str, str]]:
    """A new officer of ``unit_code`` with a real password: (username, API headers)."""

    async def make() -> tuple[str, dict[str, str]]:
        conn = await connect(settings.database_url)
        try:
            return await staff_with_password(conn, settings, PASSWORD, unit_code=unit_code)
        finally:
            await conn.close()

    return run(make())


def citizens_application(
    settings: Settings, base_url: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """A birth registration a citizen of Ba Đình filed online: (application, citizen headers)."""

    async def make() -> tuple[dict[str, Any], dict[str, str]]:
        conn = await connect(settings.database_url)
        try:
            _, headers = await citizen(conn, settings)
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                return await submitted(client, conn, headers), headers
        finally:
            await conn.close()

    return run(make())


def citizens_applications(settings: Settings, base_url: str, count: int) -> list[dict[str, Any]]:
    """``count`` birth registrations filed online, each by a citizen of Ba Đình of its own."""

    async def make() -> list[dict[str, Any]]:
        conn = await connect(settings.database_url)
        try:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                filed = []
                for _ in range(count):
                    _, headers = await citizen(conn, settings)
                    filed.append(await submitted(client, conn, headers))
                return filed
        finally:
            await conn.close()

    return run(make())


def citizen_supplies(
    settings: Settings,
    base_url: str,
    application_id: str,
    headers: dict[str, str],
    codes: list[str],
) -> dict[str, Any]:
    """The citizen adds the documents asked for and resubmits."""

    async def supply() -> dict[str, Any]:
        conn = await connect(settings.database_url)
        try:
            await store_documents(conn, application_id, codes)
        finally:
            await conn.close()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            response = await client.post(
                f"/api/v1/applications/{application_id}/resubmit", headers=headers, json={}
            )
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

    return run(supply())


def sign_in_officer(page: Page, username: str, *, shoot: bool = False) -> None:
    page.goto("/#/officer")
    expect(page.get_by_role("heading", name="Đăng nhập cán bộ")).to_be_visible()
    if shoot:
        screenshots(page, "officer-signin")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()


def fill_counter_intake(page: Page, photo: Path) -> None:
    """The counter intake form filled for a walk-in citizen's temporary residence, with a photo
    of the rental contract (not yet submitted)."""
    page.goto("/#/officer/intake")
    page.get_by_label(re.compile(r"^Thủ tục")).select_option("CT-TAMTRU")
    page.get_by_label("Số CCCD (12 chữ số)").fill("001090012345")
    page.get_by_label("Họ và tên").fill("Lò Văn Páo")
    page.get_by_label("Ngày sinh").fill("1990-05-17")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label(re.compile(r"^Tỉnh, thành phố")).select_option("01")
    page.get_by_label(re.compile(r"^Xã, phường, đặc khu")).select_option("00004")
    page.get_by_label("Số nhà, đường, thôn/xóm").fill("Bản Nậm Cang")
    fill_residence_fields(page)
    page.get_by_label(
        "Chụp ảnh: Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", exact=False
    ).set_input_files(str(photo))
    expect(page.get_by_text("Ảnh 1:")).to_be_visible()


def applications_with_code(settings: Settings, receipt_code: str) -> list[tuple[str, str, int]]:
    """(status, channel, stored documents) of every application holding ``receipt_code``: a
    counter intake that arrived once is exactly one row."""
    rows = fetch(
        settings,
        "SELECT a.status, a.channel, count(d.id) AS documents"
        " FROM applications a LEFT JOIN application_documents d"
        " ON d.application_id = a.id AND d.status = 'stored'"
        " WHERE a.receipt_code = $1 GROUP BY a.id",
        receipt_code,
    )
    return [(row["status"], row["channel"], row["documents"]) for row in rows]
