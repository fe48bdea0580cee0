"""The in-app inbox: the header's badge counts unread notifications, the list pages with the
server's cursor, one or all are marked read, and the inbox reads offline from the cache."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import check_accessibility, fetch, run, screenshot, sign_in
from tests.conftest import ServedApp
from tests.support import citizen
from tests.test_applications import submitted

COUNT = 25  # more than one page of 20


def _citizen_with_notifications(settings: Settings, base_url: str) -> tuple[str, uuid.UUID]:
    """A citizen with one application and COUNT notifications about it, newest first."""

    async def make() -> tuple[str, uuid.UUID]:
        conn = await connect(settings.database_url)
        try:
            citizen_id, headers = await citizen(conn, settings)
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
                app: dict[str, Any] = await submitted(client, conn, headers)
            app_id = uuid.UUID(app["id"])
            for i in range(COUNT):
                event_id = await conn.fetchval(
                    "INSERT INTO events (application_id, seq, type, payload) VALUES ($1,"
                    " (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE application_id = $1),"
                    " 'application.received', '{}'::jsonb) RETURNING id",
                    app_id,
                )
                await conn.execute(
                    "INSERT INTO notifications (event_id, citizen_id, kind, application_id,"
                    " receipt_code, params, created_at)"
                    " VALUES ($1, $2, 'received', $3, $4, $5, now() - $6 * interval '1 minute')",
                    event_id,
                    citizen_id,
                    app_id,
                    f"{app['receipt_code']}-{i:02d}",
                    {
                        "receipt_code": f"{app['receipt_code']}-{i:02d}",
                        "status": "received",
                        "procedure_code": app["procedure_code"],
                    },
                    i,
                )
            phone = await conn.fetchval("SELECT phone FROM citizens WHERE id = $1", citizen_id)
            return str(phone), citizen_id
        finally:
            await conn.close()

    return run(make())


def test_inbox_badge_paging_mark_read_and_offline_reading(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp
) -> None:
    phone, citizen_id = _citizen_with_notifications(settings, served_app.base_url)
    sign_in(page, phone)
    page.get_by_role("link", name=f"Thông báo: {COUNT} chưa đọc").click()
    expect(page.get_by_role("heading", name="Thông báo", exact=True)).to_be_visible()
    cards = page.locator("ul.inbox > li")
    expect(cards).to_have_count(20)
    expect(cards.first).to_contain_text("-00 đã được tiếp nhận")  # newest first
    expect(cards.first).to_contain_text("Chưa đọc")
    check_accessibility(page, "inbox")
    screenshot(page, "inbox")
    page.get_by_role("button", name="Xem thêm thông báo").click()
    expect(cards).to_have_count(COUNT)
    expect(cards.last).to_contain_text(f"-{COUNT - 1:02d} đã được tiếp nhận")
    expect(page.get_by_role("button", name="Xem thêm thông báo")).to_have_count(0)

    first_title = cards.first.locator(".card-title").inner_text()
    page.get_by_role("button", name=f"Đánh dấu đã đọc: {first_title}").click()
    expect(page.get_by_role("link", name=f"Thông báo: {COUNT - 1} chưa đọc")).to_be_visible()
    expect(cards.first).not_to_contain_text("Chưa đọc")
    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    expect(page.get_by_text("Đã đọc hết thông báo.")).to_be_visible()
    expect(page.get_by_role("link", name="Thông báo", exact=True)).to_be_visible()
    unread = fetch(
        settings,
        "SELECT count(*) AS n FROM notifications WHERE citizen_id = $1 AND read_at IS NULL",
        citizen_id,
    )
    assert unread[0]["n"] == 0

    # Offline, the inbox is read from what the phone kept (already marked read).
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.reload()
    expect(cards).to_have_count(20)
    expect(cards.first).to_contain_text(first_title)
    expect(page.get_by_text("Chưa đọc")).to_have_count(0)
    expect(page.get_by_text("Không có kết nối mạng.", exact=False)).to_be_visible()
    context.set_offline(False)
