"""The officer's other offline work through the outbox: the overdue apology with a new date
(the local copy shows the date as waiting; the server applies it and tells the citizen; a date
the server refuses is shown to the officer), and a note plus the result file on an approved
application, then the result issued — the stored result is the very file chosen, the note in
the timeline."""

from __future__ import annotations

import hashlib
import io
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from api.applications.calendar_store import load_working_calendar
from api.core.clock import vn_today
from api.core.db import connect
from api.settings import Settings
from tests.browser.conftest import fetch, run, wait_for_service_worker
from tests.browser.officer.officer_support import (
    LAPTOP,
    citizens_application,
    officer,
    screenshots,
    sign_in_officer,
)
from tests.browser.test_push import running_worker
from tests.conftest import ServedApp

APOLOGY = "Xin lỗi ông/bà: hồ sơ cần xác minh thêm với xã bạn."


def _prepare_and_go_offline(page: Page, context: BrowserContext, username: str) -> None:
    page.set_viewport_size(LAPTOP)
    sign_in_officer(page, username)
    wait_for_service_worker(page)
    page.get_by_role("link", name="Đồng bộ", exact=True).click()
    page.get_by_role("button", name="Chuẩn bị làm việc không có mạng").click()
    expect(page.get_by_text("Đã sẵn sàng làm việc không có mạng.")).to_be_visible(timeout=60_000)
    context.set_offline(True)


def _late(settings: Settings, application_id: str) -> tuple[date, date]:
    """Makes the application overdue: (its old due date, a new date the server accepts)."""

    async def change() -> tuple[date, date]:
        conn = await connect(settings.database_url)
        try:
            calendar = await load_working_calendar(conn)
            overdue = calendar.previous_working_day(vn_today())
            await conn.execute(
                "UPDATE applications SET due_date = $2 WHERE id = $1::uuid",
                application_id,
                overdue,
            )
            return overdue, calendar.add_working_days(vn_today(), 3)
        finally:
            await conn.close()

    return run(change())


def _set_new_date_offline(
    page: Page, application_id: str, day: date, *, shoot: bool = False
) -> None:
    page.goto(f"/#/officer/a/{application_id}")
    expect(page.get_by_text("Đang xem bản lưu trên máy")).to_be_visible()
    page.get_by_role("button", name="Hẹn lại ngày trả (xin lỗi)", exact=True).click()
    page.get_by_label("Ngày hẹn trả mới").fill(day.isoformat())
    page.get_by_label("Thư xin lỗi gửi công dân").fill(APOLOGY)
    if shoot:
        screenshots(page, "officer-new-due-date", showing=page.locator(".move-form"))
    page.get_by_role("button", name="Xác nhận: Hẹn lại ngày trả (xin lỗi)").click()
    expect(page.get_by_text("Đã lưu trên máy; sẽ gửi khi có mạng.")).to_be_visible()
    expect(page.get_by_test_id("due-pending")).to_have_text("chờ đồng bộ")


def _wait_for(what: str, check: Any, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return found


def test_a_new_due_date_set_offline_reaches_the_citizen_and_a_refused_one_is_shown(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp
) -> None:
    late, _ = citizens_application(settings, served_app.base_url)
    refused, _ = citizens_application(settings, served_app.base_url)
    _, new_date = _late(settings, late["id"])
    _late(settings, refused["id"])
    username, _ = officer(settings)
    _prepare_and_go_offline(page, context, username)

    _set_new_date_offline(page, late["id"], new_date, shoot=True)
    expect(page.locator(".facts").first).to_contain_text(f"{new_date.day:02d}/{new_date.month:02d}")
    # Today is not later than today: the server refuses it; the device cannot tell offline.
    _set_new_date_offline(page, refused["id"], vn_today())
    page.reload()  # still offline: the waiting date is kept
    expect(page.get_by_test_id("due-pending")).to_be_visible()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("2 chờ gửi")

    with running_worker(settings):
        context.set_offline(False)
        expect(indicator).to_contain_text("0 chờ gửi", timeout=60_000)
        expect(indicator).to_contain_text("1 cần xem lại")
        notices = _wait_for(
            "the citizen was not told of the new date",
            lambda: fetch(
                settings,
                "SELECT n.params FROM notifications n WHERE n.application_id = $1::uuid"
                " AND n.kind = 'due_date_changed'",
                late["id"],
            ),
        )
    assert len(notices) == 1
    rows = fetch(
        settings,
        "SELECT id::text, due_date, version FROM applications WHERE id = ANY($1::uuid[])",
        [late["id"], refused["id"]],
    )
    by_id = {row["id"]: row for row in rows}
    assert by_id[late["id"]]["due_date"] == new_date
    assert by_id[late["id"]]["version"] == late["version"] + 1
    assert by_id[refused["id"]]["version"] == refused["version"]  # nothing written
    apology = fetch(
        settings,
        "SELECT note FROM audit_log WHERE application_id = $1::uuid"
        " AND action = 'application.set_new_due_date'",
        late["id"],
    )
    assert [a["note"] for a in apology] == [APOLOGY]

    # The refused date: listed for the officer with the server's reason; the local copy is
    # back to what the server holds.
    page.goto("/#/officer/sync")
    conflict = page.locator("li.conflict")
    expect(conflict).to_contain_text("Hẹn lại ngày trả")
    expect(conflict).to_contain_text("Máy chủ không nhận thao tác:")
    page.goto(f"/#/officer/a/{refused['id']}")
    expect(page.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
    expect(page.get_by_test_id("due-pending")).to_have_count(0)


def _approved(served_app: ServedApp, headers: dict[str, str], application: dict[str, Any]) -> None:
    version = application["version"]
    for action in ("receive", "start", "approve"):
        answer = httpx.post(
            f"{served_app.base_url}/api/v1/applications/{application['id']}/transitions",
            json={"action": action, "expected_version": version},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        version = answer.json()["version"]


def _result_pdf(path: Path) -> bytes:
    """A scanned decision as a PDF, larger than one upload chunk (256 KiB)."""
    buffer = io.BytesIO()
    noise = random.Random(12).randbytes(700 * 700 * 3)
    Image.frombytes("RGB", (700, 700), noise).save(buffer, "PDF")
    data = buffer.getvalue()
    assert len(data) > 256 * 1024
    path.write_bytes(data)
    return data


def test_a_note_and_the_result_file_taken_offline_reach_the_server_intact(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    application, _ = citizens_application(settings, served_app.base_url)
    username, headers = officer(settings)
    _approved(served_app, headers, application)
    result = _result_pdf(tmp_path / "quyet-dinh.pdf")
    note = "Đã gọi điện hẹn công dân đến nhận kết quả sáng thứ Hai."
    _prepare_and_go_offline(page, context, username)

    page.goto(f"/#/officer/a/{application['id']}")
    expect(page.get_by_text("Đang xem bản lưu trên máy")).to_be_visible()
    page.get_by_label("Ghi chú nội bộ về hồ sơ").fill(note)
    page.get_by_role("button", name="Thêm ghi chú").click()
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li.note")).to_contain_text(f"{note} (chờ gửi)")
    page.get_by_role("button", name="Trả kết quả", exact=True).click()
    page.get_by_label("Tệp kết quả (ảnh hoặc PDF)").set_input_files(
        str(tmp_path / "quyet-dinh.pdf")
    )
    page.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    expect(page.get_by_text("Đã lưu trên máy; sẽ gửi khi có mạng.")).to_be_visible()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("3 chờ gửi")
    page.reload()  # still offline: the file waits in IndexedDB
    expect(indicator).to_contain_text("3 chờ gửi")
    screenshots(page, "officer-detail-offline", showing=timeline)

    context.set_offline(False)
    expect(indicator).to_contain_text("0 chờ gửi", timeout=60_000)
    expect(indicator).not_to_contain_text("cần xem lại")
    (row,) = fetch(
        settings, "SELECT status, version FROM applications WHERE id = $1::uuid", application["id"]
    )
    assert row["status"] == "result_issued"
    documents = fetch(
        settings,
        "SELECT status, declared_sha256, declared_size FROM application_documents"
        " WHERE application_id = $1::uuid AND kind = 'result'",
        application["id"],
    )
    assert documents == [
        {
            "status": "stored",
            "declared_sha256": hashlib.sha256(result).hexdigest(),
            "declared_size": len(result),
        }
    ]
    notes = fetch(
        settings,
        "SELECT note, device_time FROM audit_log WHERE application_id = $1::uuid"
        " AND action = 'application.note'",
        application["id"],
    )
    assert [n["note"] for n in notes] == [note] and notes[0]["device_time"] is not None

    page.reload()
    # Sent: shown once, as this device's copy ("đã gửi") until the pull brings the server's.
    expect(timeline.locator("li.note", has_text=note)).to_have_count(1)
    expect(timeline.locator("li.note")).not_to_contain_text("chờ gửi")
    expect(page.locator(".facts").first).to_contain_text("Đã có kết quả")
