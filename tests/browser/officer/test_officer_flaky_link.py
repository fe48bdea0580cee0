"""A flaky link while the outbox drains: twenty moves taken offline are pushed over a link that
loses every third push once the server has answered (the server applied it, the officer's
browser never heard) and the next before it reaches the server. Each of the twenty arrives
once: one status change, one event, one recorded command per application."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, Route, expect

from api.settings import Settings
from tests.browser.conftest import fetch, wait_for_service_worker
from tests.browser.officer.officer_support import (
    LAPTOP,
    citizens_applications,
    officer,
    screenshots,
    sign_in_officer,
)
from tests.conftest import ServedApp

ITEMS = 20


def test_twenty_moves_arrive_once_through_a_link_that_loses_requests_and_answers(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp
) -> None:
    filed = citizens_applications(settings, served_app.base_url, ITEMS)
    username, _ = officer(settings)
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)
    wait_for_service_worker(page)
    page.get_by_role("link", name="Đồng bộ", exact=True).click()
    page.get_by_role("button", name="Chuẩn bị làm việc không có mạng").click()
    expect(page.get_by_text("Đã sẵn sàng làm việc không có mạng.")).to_be_visible(timeout=60_000)

    context.set_offline(True)
    for application in filed:
        page.goto(f"/#/officer/a/{application['id']}")
        page.get_by_role("button", name="Tiếp nhận", exact=True).click()
        page.get_by_role("button", name="Xác nhận: Tiếp nhận").click()
        expect(page.get_by_text("Đã lưu trên máy; sẽ gửi khi có mạng.")).to_be_visible()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text(f"{ITEMS} chờ gửi")

    pushes: list[str] = []

    def flaky(route: Route) -> None:
        pushes.append(route.request.method)
        if len(pushes) % 3 == 1:
            route.fetch()  # the server applies the batch; its answer is lost on the way back
            route.abort("connectionreset")
        elif len(pushes) % 3 == 2:
            route.abort("connectionreset")  # lost on the way there
        else:
            route.continue_()

    page.route("**/api/v1/sync/push", flaky)
    context.set_offline(False)
    # "20 chờ gửi" holds "0 chờ gửi" too: the whole count.
    expect(indicator).to_contain_text(re.compile(r"(^|\D)0 chờ gửi"), timeout=90_000)
    expect(indicator).not_to_contain_text("cần xem lại")
    assert len(pushes) >= 3  # answered-then-lost, lost, then through
    screenshots(page, "officer-sync-after-flaky-link")

    ids = [application["id"] for application in filed]
    rows = fetch(
        settings,
        "SELECT a.id::text, a.status, a.version,"
        " (SELECT count(*) FROM events e WHERE e.application_id = a.id"
        "  AND e.type = 'application.received') AS received,"
        " (SELECT count(*) FROM sync_commands c WHERE c.application_id = a.id) AS commands"
        " FROM applications a WHERE a.id = ANY($1::uuid[])",
        ids,
    )
    versions = {application["id"]: application["version"] for application in filed}
    assert len(rows) == ITEMS
    for row in rows:
        assert row["status"] == "received", row
        assert row["version"] == versions[row["id"]] + 1, row
        assert row["received"] == 1 and row["commands"] == 1, row
