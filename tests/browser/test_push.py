"""Push in the citizen's app (issue test 4): the offer comes after the first submission, the
subscription (the browser's `pushManager.subscribe` stubbed with an endpoint on the loopback
push receiver and keys this test made) reaches the API; an officer's move goes through a real
worker to the receiver, which decrypts it like a phone; that very payload is delivered to the
page's service worker (DevTools `ServiceWorker.deliverPushMessage`), which shows it once, and
a tap on it opens the application. Turning push off in the settings removes the subscription.

Headless Chromium cannot tap a notification: the tap is a `notificationclick` event the test
dispatches inside the service worker, so the path through an open window is tested and
`clients.openWindow` (no window open, needs a real tap) is not."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from arq.worker import create_worker
from playwright.sync_api import BrowserContext, CDPSession, Page, expect

from api.clients.webpush import b64url_decode
from api.core.jobs import job_pool, redis_settings
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
from tests.browser.test_supplement import _move, _officer_headers
from tests.conftest import ServedApp
from tests.push_receiver import Device, PushReceiver
from workers.main import WorkerSettings
from workers.relay import RELAY_NAME

STORED = "motcua-test-push-subscription"

# The browser's push service is replaced by the loopback receiver: subscribe() records the
# application server key it was given and answers with the test's endpoint and keys.
STUB = """
(() => {
  const device = %s;
  const made = () => ({
    endpoint: device.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => ({ endpoint: device.endpoint, expirationTime: null, keys: device.keys }),
    unsubscribe: () => (localStorage.removeItem("%s"), Promise.resolve(true)),
  });
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    localStorage.setItem("%s", btoa(String.fromCharCode(...key)));
    return Promise.resolve(made());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem("%s") ? made() : null);
  };
})();
"""


@contextmanager
def running_worker(settings: Settings) -> Iterator[None]:
    """The production worker (relay, fan-out, push jobs) in a thread with its own loop."""
    started = threading.Event()
    failed: list[BaseException] = []
    holder: dict[str, Any] = {}

    async def main() -> None:
        worker = create_worker(
            WorkerSettings,
            redis_settings=redis_settings(settings.redis_url),
            ctx={"settings": settings, "push_retry_base_seconds": 0.05},
            cron_jobs=None,
            poll_delay=0.02,
            handle_signals=False,
        )
        stop = asyncio.Event()
        holder["stop"] = (asyncio.get_running_loop(), stop)
        running = asyncio.create_task(worker.async_run())
        try:
            deadline = time.monotonic() + 30
            while not ("relay_active" in worker.ctx and worker.ctx["relay_active"].is_set()):
                assert time.monotonic() < deadline, "the relay did not start"
                await asyncio.sleep(0.02)
            started.set()
            await stop.wait()
            # Leave nothing behind for later tests: the queue drained ...
            pool = job_pool(settings.redis_url)
            try:
                deadline = time.monotonic() + 30
                while await pool.zcard("arq:queue") or await pool.keys("arq:in-progress:*"):
                    assert time.monotonic() < deadline, "the queue did not drain"
                    await asyncio.sleep(0.02)
            finally:
                await pool.aclose()
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            await worker.close()

    def thread_main() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to the test below
            failed.append(exc)
            started.set()

    thread = threading.Thread(target=thread_main, daemon=True)
    thread.start()
    started.wait(60)
    if failed:
        raise failed[0]
    try:
        yield
    finally:
        loop, stop = holder["stop"]
        loop.call_soon_threadsafe(stop.set)
        thread.join(60)
        # ... and the relay's cursor gone, so the next worker starts at the feed's head as a
        # first start does, not behind every event the suite writes meanwhile.
        fetch(settings, "DELETE FROM relay_cursors WHERE name = $1", RELAY_NAME)


def wait_until(check: Any, what: str, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return found


def registration_id(page: Page, cdp: CDPSession, scope: str) -> str:
    seen: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: seen.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(200):
        found = [r["registrationId"] for r in seen if r["scopeURL"] == scope]
        if found:
            return str(found[0])
        page.wait_for_timeout(25)
    raise AssertionError(f"no service worker registration for {scope}: {seen}")


SHOWN = """navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((all) =>
  all.map((n) =>
    ({ title: n.title, body: n.body, tag: n.tag, renotify: n.renotify, data: n.data })))"""

# What a tap does: the browser fires `notificationclick` in the worker with the notification.
TAP = """self.registration.getNotifications().then(([n]) => {
  self.dispatchEvent(new NotificationEvent("notificationclick", { notification: n }));
  return n.tag;
})"""


def test_push_offered_after_submission_shown_once_and_opens_the_application(
    page: Page, context: BrowserContext, settings: Settings, served_app: ServedApp, tmp_path: Path
) -> None:
    base = served_app.base_url
    vapid_key = httpx.get(f"{base}/api/v1/push/vapid-public-key").json()["public_key"]
    receiver = PushReceiver(vapid_key)
    receiver.start()
    try:
        device = receiver.device()
        _run_push_flow(page, context, settings, served_app, tmp_path, receiver, device, vapid_key)
    finally:
        receiver.stop()
        fetch(
            settings,
            "DELETE FROM push_subscriptions WHERE starts_with(endpoint, $1)",
            receiver.origin,
        )


def _run_push_flow(
    page: Page,
    context: BrowserContext,
    settings: Settings,
    served_app: ServedApp,
    tmp_path: Path,
    receiver: PushReceiver,
    device: Device,
    vapid_key: str,
) -> None:
    base = served_app.base_url
    context.grant_permissions(["notifications"], origin=base)
    context.add_init_script(STUB % (json.dumps(device.as_json()), STORED, STORED, STORED))
    phone, citizen_id = citizen_with_profile(settings)
    sign_in(page, phone)
    wait_for_service_worker(page)
    offer = page.get_by_role("heading", name="Nhận thông báo về hồ sơ này?")
    expect(page.get_by_label("Tìm thủ tục")).to_be_visible()
    expect(offer).to_have_count(0)  # not on a first visit

    page.goto(f"/#/p/{PROCEDURE}")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    fill_residence_form(page, document_photo(tmp_path / "paper.jpg", 1200, 1600))
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ:")).to_be_visible(timeout=30_000)
    expect(offer).to_be_visible()
    expect(page.get_by_text("Chúng tôi hỏi bây giờ vì bạn vừa nộp hồ sơ")).to_be_visible()
    check_accessibility(page, "push offer")
    screenshot(page, "push-offer")
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/push/subscriptions") and r.request.method == "POST"
    ) as posted:
        page.get_by_role("button", name="Bật thông báo").click()
    assert posted.value.status == 201, posted.value.text()
    expect(page.get_by_text("Đã bật thông báo trên điện thoại này.")).to_be_visible()
    given = page.evaluate(f"localStorage.getItem('{STORED}')")
    assert base64.b64decode(given) == b64url_decode(vapid_key)  # subscribed with the server's key
    [sub] = fetch(
        settings, "SELECT citizen_id FROM push_subscriptions WHERE endpoint = $1", device.endpoint
    )
    assert sub["citizen_id"] == citizen_id

    # The officer receives the application; a real worker sends the push to the receiver.
    [row] = fetch(settings, "SELECT id FROM applications WHERE citizen_id = $1", citizen_id)
    app_id = str(row["id"])
    officer = _officer_headers(settings)
    with running_worker(settings), httpx.Client(base_url=base, timeout=30) as http:
        app = http.get(f"/api/v1/applications/{app_id}", headers=officer).json()
        _move(http, officer, app, "receive")
        got = wait_until(
            lambda: [r for r in receiver.for_device(device) if r.answered == 201],
            "the push message at the receiver",
        )
    assert receiver.refused == []
    [message] = got
    payload = message.payload
    assert payload is not None and payload["kind"] == "received"
    assert payload["title"].startswith("Hồ sơ ") and payload["url"] == f"/applications/{app_id}"

    # The decrypted payload reaches the page's service worker, twice (a push service may
    # deliver again): one notification, tagged with the notification id, silent on replace.
    cdp = context.new_cdp_session(page)
    reg = registration_id(page, cdp, f"{base}/")
    for _ in range(2):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": base, "registrationId": reg, "data": json.dumps(payload)},
        )
    shown = wait_until(lambda: page.evaluate(SHOWN), "the notification")
    page.wait_for_timeout(300)  # the second delivery, if it were to add one
    shown = page.evaluate(SHOWN)
    assert len(shown) == 1, shown
    [note] = shown
    assert note["title"] == payload["title"] and note["body"] == payload["body"]
    assert note["tag"] == payload["id"] and note["renotify"] is False
    assert note["data"]["url"] == f"/#/a/{app_id}?n={payload['id']}"
    expect(page.get_by_role("link", name="Thông báo: 1 chưa đọc")).to_be_visible()

    # A tap opens the application in the open window and marks the notification read.
    page.goto("/#/")
    [worker] = context.service_workers
    assert worker.evaluate(TAP) == payload["id"]
    page.wait_for_function(f"location.hash === '#/a/{app_id}?n={payload['id']}'")
    expect(page.get_by_text("Đã tiếp nhận").first).to_be_visible()
    wait_until(lambda: page.evaluate(SHOWN) == [], "the notification to close")
    wait_until(
        lambda: fetch(
            settings, "SELECT read_at FROM notifications WHERE id = $1::uuid", payload["id"]
        )[0]["read_at"],
        "the notification marked read",
    )
    expect(page.get_by_role("link", name="Thông báo", exact=True)).to_be_visible()

    # Settings: push off for this phone; the API forgets the endpoint.
    page.goto("/#/profile")
    expect(page.get_by_text("Đã bật thông báo trên điện thoại này.")).to_be_visible()
    check_accessibility(page, "settings with push")
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/push/subscriptions") and r.request.method == "DELETE"
    ) as deleted:
        page.get_by_role("button", name="Tắt thông báo trên điện thoại này").click()
    assert deleted.value.status == 204
    expect(page.get_by_text("Thông báo đang tắt trên điện thoại này.")).to_be_visible()
    assert (
        fetch(settings, "SELECT 1 FROM push_subscriptions WHERE endpoint = $1", device.endpoint)
        == []
    )
    screenshot(page, "settings-push")

    # On again from the settings; signing out takes this phone off the account's pushes.
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/push/subscriptions") and r.request.method == "POST"
    ) as posted:
        page.get_by_role("button", name="Bật thông báo").click()
    assert posted.value.status == 201
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/push/subscriptions") and r.request.method == "DELETE"
    ) as deleted:
        page.get_by_role("button", name="Đăng xuất").click()
    assert deleted.value.status == 204
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    gone = "SELECT 1 FROM push_subscriptions WHERE endpoint = $1"
    assert fetch(settings, gone, device.endpoint) == []
    assert page.evaluate(f"localStorage.getItem('{STORED}')") is None
