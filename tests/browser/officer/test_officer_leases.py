"""Work leases, the officer's notifications and officers' notes in the app (docs/sync.md §2, §6).

A colleague holds a file through the API: the queue and the detail say who and until when, and
the moves are disabled; a move taken offline on it comes back as a conflict naming the holder.
The officer holds a file from its detail, goes offline, moves it and syncs: applied; releases
it. "Prepare for offline" holds the files in processing; the officer's notification opens
offline in the inbox, and its read mark arrives through the pull. A note written on one device
shows on another officer's device after its prepare."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import check_accessibility, fetch, run, wait_for_service_worker
from tests.browser.officer.officer_support import (
    LAPTOP,
    citizens_application,
    officer,
    screenshots,
    sign_in_officer,
)
from tests.conftest import ServedApp

HOLD = "Giữ hồ sơ để xử lý ngoại tuyến (72 giờ)"


def _named(settings: Settings, username: str, full_name: str) -> str:
    """Gives the officer ``full_name``; returns their staff id."""
    (row,) = fetch(
        settings,
        "UPDATE staff SET full_name = $2 WHERE username = $1 RETURNING id::text",
        username,
        full_name,
    )
    return str(row["id"])


def _colleague_holds(served_app: ServedApp, headers: dict[str, str], application_id: str) -> None:
    """The colleague registers a device and leases the application to it."""
    device_id = "5a1e0000-0000-4000-8000-" + application_id[-12:]
    with httpx.Client(base_url=served_app.base_url, headers=headers, timeout=30) as api:
        registered = api.post(
            "/api/v1/sync/devices", json={"device_id": device_id, "label": "Máy tính bảng"}
        )
        assert registered.status_code in (200, 201), registered.text
        leased = api.post(
            "/api/v1/sync/leases",
            json={"application_ids": [application_id]},
            headers={"X-Device-Id": device_id},
        )
        assert leased.status_code == 200, leased.text
        assert leased.json()["leases"][0]["outcome"] == "leased"


def _move_online(
    served_app: ServedApp, headers: dict[str, str], application: dict[str, Any], action: str
) -> httpx.Response:
    with httpx.Client(base_url=served_app.base_url, headers=headers, timeout=30) as api:
        version = api.get(f"/api/v1/applications/{application['id']}").json()["version"]
        return api.post(
            f"/api/v1/applications/{application['id']}/transitions",
            json={"action": action, "expected_version": version},
        )


def _prepare(page: Page, *, hold_mine: bool = False) -> None:
    page.goto("/#/officer/sync")
    if hold_mine:
        page.get_by_label("Giữ các hồ sơ đang xử lý của tôi (72 giờ)").check()
    page.get_by_role("button", name="Chuẩn bị làm việc không có mạng").click()
    expect(page.get_by_text("Đã sẵn sàng làm việc không có mạng.")).to_be_visible(timeout=60_000)


def test_leases_show_hold_back_moves_and_let_the_holder_work_offline(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp
) -> None:
    theirs, _ = citizens_application(settings, served_app.base_url)
    mine, _ = citizens_application(settings, served_app.base_url)
    username, _ = officer(settings)
    colleague_name, colleague = officer(settings)
    _named(settings, colleague_name, "Trần Thị Lan")
    _colleague_holds(served_app, colleague, theirs["id"])
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)
    wait_for_service_worker(page)

    # The queue names the colleague's hold.
    card = page.locator("ul.queue li", has=page.get_by_text(theirs["receipt_code"]))
    expect(card.get_by_test_id("queue-lease")).to_contain_text(
        re.compile(r"^Đang do Trần Thị Lan giữ đến \d\d:\d\d")
    )
    screenshots(page, "officer-queue-leases", showing=card)

    # The detail too, with every move disabled and the reason beside them.
    page.goto(f"/#/officer/a/{theirs['id']}")
    expect(page.get_by_test_id("lease")).to_contain_text("Đang do Trần Thị Lan giữ đến")
    expect(page.get_by_test_id("moves-held")).to_contain_text("chỉ người giữ mới chuyển được")
    expect(page.get_by_role("button", name="Tiếp nhận", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name=HOLD)).to_have_count(0)
    check_accessibility(page, "officer detail held by a colleague")
    screenshots(page, "officer-lease-colleague", showing=page.get_by_test_id("moves-held"))

    # The officer holds the other file: a colleague's online move is refused meanwhile.
    page.goto(f"/#/officer/a/{mine['id']}")
    expect(page.get_by_text("Chưa ai giữ hồ sơ này.")).to_be_visible()
    expect(page.get_by_text("cán bộ khác vẫn xem và ghi chú được")).to_be_visible()
    page.get_by_role("button", name=HOLD).click()
    expect(page.get_by_test_id("lease")).to_contain_text(re.compile(r"^Bạn đang giữ đến "))
    screenshots(page, "officer-lease-mine", showing=page.get_by_test_id("lease"))
    refused = _move_online(served_app, colleague, mine, "receive")
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("/application-leased")

    # Offline: the held file moves, and so (unknowingly) does the colleague's.
    _prepare(page)
    context.set_offline(True)
    for application in (mine, theirs):
        page.goto(f"/#/officer/a/{application['id']}")
        expect(page.get_by_text("Đang xem bản lưu trên máy")).to_be_visible()
        page.get_by_role("button", name="Tiếp nhận", exact=True).click()
        page.get_by_role("button", name="Xác nhận: Tiếp nhận").click()
        expect(page.get_by_text("Đã lưu trên máy; sẽ gửi khi có mạng.")).to_be_visible()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("2 chờ gửi")

    context.set_offline(False)
    expect(indicator).to_contain_text("0 chờ gửi", timeout=60_000)
    expect(indicator).to_contain_text("1 cần xem lại")
    statuses = {
        row["id"]: row["status"]
        for row in fetch(
            settings,
            "SELECT id::text, status FROM applications WHERE id = ANY($1::uuid[])",
            [mine["id"], theirs["id"]],
        )
    }
    assert statuses == {mine["id"]: "received", theirs["id"]: "submitted"}

    # The conflict names the holder and the end of the hold.
    page.goto("/#/officer/sync")
    conflict = page.locator("li.conflict")
    expect(conflict).to_contain_text(
        re.compile(r"Hồ sơ đang do Trần Thị Lan giữ để xử lý ngoại tuyến đến \d\d:\d\d")
    )
    # Re-applying would be refused again while the hold lasts: only "keep the server's" is offered.
    expect(conflict.get_by_role("button", name="Áp dụng lại thao tác của tôi")).to_have_count(0)
    check_accessibility(page, "officer lease conflict")
    screenshots(page, "officer-conflict-leased", showing=conflict)

    # The officer releases their hold; the file is free again.
    page.goto(f"/#/officer/a/{mine['id']}")
    page.get_by_role("button", name="Bỏ giữ hồ sơ").click()
    expect(page.get_by_text("Chưa ai giữ hồ sơ này.")).to_be_visible()
    (lease,) = fetch(
        settings,
        "SELECT released_at FROM sync_leases WHERE application_id = $1::uuid",
        mine["id"],
    )
    assert lease["released_at"] is not None


def _notice(settings: Settings, staff_id: str) -> None:
    """A sign-in throttle notice in the officer's inbox, as api/notifications/notices.py
    writes one."""

    async def insert() -> None:
        conn = await connect(settings.database_url)
        try:
            await conn.execute(
                "INSERT INTO notifications (staff_id, kind, params, dedupe_key)"
                " VALUES ($1::uuid, 'suspicious_sign_in', $2, gen_random_uuid()::text)",
                staff_id,
                {"failures": 5, "client_ip": "192.0.2.7", "retry_minutes": 15},
            )
        finally:
            await conn.close()

    run(insert())


def test_prepare_holds_the_files_in_processing_and_the_inbox_opens_offline(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp
) -> None:
    received, _ = citizens_application(settings, served_app.base_url)
    username, headers = officer(settings)
    staff_id = _named(settings, username, "Hà Văn Thắng")
    assert _move_online(served_app, headers, received, "receive").status_code == 200
    _notice(settings, staff_id)
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)
    wait_for_service_worker(page)

    _prepare(page, hold_mine=True)
    # Other files of the unit in processing (earlier tests') are held too.
    expect(page.get_by_text(re.compile(r"Đã giữ [1-9]\d* hồ sơ\."))).to_be_visible()
    expect(page.get_by_text("cán bộ khác vẫn xem được nhưng không chuyển được")).to_be_visible()
    check_accessibility(page, "officer sync with holds")
    screenshots(page, "officer-sync-hold")
    (lease,) = fetch(
        settings,
        "SELECT staff_id::text, released_at FROM sync_leases WHERE application_id = $1::uuid",
        received["id"],
    )
    assert lease == {"staff_id": staff_id, "released_at": None}

    context.set_offline(True)
    page.goto("/#/officer")
    card = page.locator("ul.queue li", has=page.get_by_text(received["receipt_code"]))
    expect(card.get_by_test_id("queue-lease")).to_contain_text("Bạn đang giữ đến")
    bell = page.get_by_test_id("officer-inbox-link")
    expect(bell).to_have_attribute("aria-label", "Thông báo: 1 chưa đọc")
    bell.click()
    expect(page.get_by_role("heading", name="Thông báo của tôi")).to_be_visible()
    item = page.get_by_test_id("officer-notification")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("192.0.2.7")
    expect(page.get_by_text("Cần có mạng để đánh dấu đã đọc.")).to_be_visible()
    check_accessibility(page, "officer inbox")
    screenshots(page, "officer-inbox")

    # Read elsewhere (online, another device): the mark arrives through the pull.
    context.set_offline(False)
    with httpx.Client(base_url=served_app.base_url, headers=headers, timeout=30) as api:
        marked = api.post("/api/v1/me/notifications/read", json={"all": True})
        assert marked.status_code == 200, marked.text
    page.goto("/#/officer/sync")
    page.get_by_role("button", name="Đồng bộ ngay").click()
    page.goto("/#/officer/inbox")
    expect(page.get_by_text("0 chưa đọc")).to_be_visible(timeout=30_000)
    expect(bell).to_have_attribute("aria-label", "Thông báo")


def test_a_note_written_on_one_device_shows_on_another_after_its_prepare(
    page: Page, browser: Browser, settings: Settings, served_app: ServedApp
) -> None:
    application, _ = citizens_application(settings, served_app.base_url)
    writer, _ = officer(settings)
    _named(settings, writer, "Hà Văn Thắng")
    reader, _ = officer(settings)
    note = "Công dân hẹn mang bản gốc giấy chứng sinh vào thứ Ba."
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, writer)
    page.goto(f"/#/officer/a/{application['id']}")
    page.get_by_label("Ghi chú nội bộ về hồ sơ").fill(note)
    page.get_by_role("button", name="Thêm ghi chú").click()
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li.note", has_text=note)).to_have_count(1)
    # Once the server's record lists it, the device shows the server's note (author, time)
    # and drops its own copy.
    for _ in range(20):
        page.reload()
        if timeline.locator("li.note", has_text="Ghi chú của Hà Văn Thắng").count():
            break
        page.wait_for_timeout(500)
    expect(timeline.locator("li.note", has_text=note)).to_have_count(1)
    expect(timeline.locator("li.note")).to_contain_text("Ghi chú của Hà Văn Thắng")
    assert (
        page.evaluate(
            """() => new Promise((resolve) => {
            const open = indexedDB.open("motcua-officer");
            open.onsuccess = () => {
                const get = open.result.transaction("kv").objectStore("kv").get("notes");
                get.onsuccess = () => resolve(Object.keys(get.result ?? {}).length);
            };
        })"""
        )
        == 0
    )

    # Another officer's device, prepared afterwards, shows it offline.
    other = browser.new_context(
        base_url=served_app.base_url, viewport=LAPTOP, locale="vi-VN", device_scale_factor=1
    )
    other.set_default_timeout(30_000)
    try:
        second = other.new_page()
        sign_in_officer(second, reader)
        wait_for_service_worker(second)
        _prepare(second)
        other.set_offline(True)
        second.goto(f"/#/officer/a/{application['id']}")
        expect(second.get_by_text("Đang xem bản lưu trên máy")).to_be_visible()
        shown = second.locator("ol.timeline li.note", has_text=note)
        expect(shown).to_have_count(1)
        expect(shown).to_contain_text("Ghi chú của Hà Văn Thắng")
        screenshots(second, "officer-notes-other-device", showing=shown)
    finally:
        other.close()
