"""``make bench-officer``: how long "Prepare for offline" takes in the officer app over a
mountain commune's link, with the unit's work set seeded.

    .venv/bin/python bench/officer_offline.py [--applications 500] [--kbit 256] [--rtt-ms 300]
                                              [--runs 1]

It creates a throw-away database, seeds ``--applications`` applications in one unit
(bench/seed.py) and an officer with a password, builds the PWA (printing the officer chunk's
gzipped size), serves the API with the built app (``python -m api``), and puts the benchmarks'
slow link (``SlowLink`` in tests/lossy_proxy.py) in front: one shared line per direction at
``--kbit`` with ``--rtt-ms`` round trip, bytes pipelined, one round trip per new connection for
its handshake, no cuts or duplicates. Headless Chromium opens the officer app through it,
signs in (not timed), presses "Prepare for offline" and waits for "ready"; printed: the time,
the applications the device then holds, and the requests and bytes that crossed the link
meanwhile.
Redis database 12 (``BENCH_REDIS_URL``). Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from moto.server import ThreadedMotoServer
from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.migrate import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.seed import QUEUE_UNIT, seed_applications  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.lossy_proxy import LinkProfile, SlowLink  # noqa: E402
from tests.support import staff_with_password  # noqa: E402

ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PG = ["-h", "127.0.0.1", "-U", "postgres"]
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "mat-khau-do-hieu-nang-1"  # noqa: S105 - a throw-away bench account
READY = "Đã sẵn sàng làm việc không có mạng."
# bench/seed.py writes bare rows (a name, no form); the work set is sized as filed at a desk:
# the applicant from the ID card (names, ID and phone numbers differing, as gzip meets them),
# the form, and two photographed papers per application.
APPLICANT = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-17",
    "gender": "male",
    "citizen_id_number": "001090012345",
    "phone": "0912345678",
    "address": {
        "province_code": "01",
        "commune_code": QUEUE_UNIT,
        "street": "12 Phố Đội Cấn",
        "province_name": "Hà Nội",
        "commune_name": "Ba Đình",
    },
}
FORM = {
    "document_name": "Bằng tốt nghiệp trung học phổ thông",
    "issued_by": "vietnam",
    "page_count": 1,
    "copy_count": 2,
}
_AS_FILED = """
WITH filed AS (
    UPDATE applications SET form = $2::jsonb, applicant = $1::jsonb
        || jsonb_build_object(
            'full_name', 'Nguyễn Văn ' || upper(substr(md5(id::text), 1, 6)),
            'citizen_id_number', lpad((random() * 1e12)::bigint::text, 12, '0'),
            'phone', '09' || lpad((random() * 1e8)::bigint::text, 8, '0'))
    RETURNING id
)
INSERT INTO application_documents (application_id, kind, requirement, object_key,
    declared_content_type, declared_size, declared_sha256, status, content_type, size, sha256,
    upload_expires_at, uploaded_by_kind, uploaded_by_id)
SELECT filed.id, 'input', paper, 'bench/' || gen_random_uuid(), 'image/jpeg',
       300000 + (random() * 200000)::int, md5(random()::text) || md5(random()::text), 'stored',
       'image/jpeg', 300000 + (random() * 200000)::int,
       md5(random()::text) || md5(random()::text), now(), 'staff', gen_random_uuid()
FROM filed CROSS JOIN unnest(ARRAY['BAN_CHINH', 'CCCD']) AS paper
"""


def build_pwa() -> None:
    """Builds the app; its report (the first visit and the officer chunk, gzipped) printed."""
    built = subprocess.run(
        ["npm", "run", "--silent", "build"],
        cwd=ROOT / "pwa",
        check=True,
        capture_output=True,
        text=True,
    )
    print(built.stdout.strip())


async def seed(dsn: str, settings: Settings, applications: int) -> str:
    """The unit's applications and an officer who signs in with PASSWORD: the username."""
    await migrate(dsn)
    conn = await asyncpg.connect(dsn)
    try:
        await seed_applications(conn, applications)
        await conn.execute(_AS_FILED, json.dumps(APPLICANT), json.dumps(FORM))
        username, _ = await staff_with_password(conn, settings, PASSWORD, unit_code=QUEUE_UNIT)
        return username
    finally:
        await conn.close()


async def held_applications(page: Page) -> int:
    count: int = await page.evaluate(
        """() => new Promise((resolve, reject) => {
          const opened = indexedDB.open("motcua-officer");
          opened.onerror = () => reject(opened.error);
          opened.onsuccess = () => {
            const counted = opened.result.transaction("apps").objectStore("apps").count();
            counted.onsuccess = () => resolve(counted.result);
            counted.onerror = () => reject(counted.error);
          };
        })"""
    )
    return count


async def prepare_once(
    base: str, link: SlowLink, username: str, list_requests: bool
) -> tuple[float, int, int, dict[str, int]]:
    """One fresh browser profile: sign in, then time "Prepare for offline". Returns seconds,
    applications held, requests and bytes that crossed the link while preparing."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            context = await browser.new_context(base_url=base, locale="vi-VN")
            context.set_default_timeout(300_000)
            page = await context.new_page()
            await page.goto("/#/officer")
            await page.get_by_label("Tên đăng nhập").fill(username)
            await page.get_by_label("Mật khẩu").fill(PASSWORD)
            await page.get_by_role("button", name="Đăng nhập").click()
            await page.get_by_role("heading", name="Hồ sơ cần xử lý").wait_for()
            await page.get_by_role("link", name="Đồng bộ", exact=True).click()
            button = page.get_by_role("button", name="Chuẩn bị làm việc không có mạng")
            await button.wait_for()
            await page.wait_for_load_state("networkidle")
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            before = (link.stats.bytes_up, link.stats.bytes_down)
            started = time.monotonic()
            await button.click()
            await page.get_by_text(READY).wait_for()
            seconds = time.monotonic() - started
            carried = {
                "request": link.stats.bytes_up - before[0],
                "response": link.stats.bytes_down - before[1],
            }
            if list_requests:
                print("\n".join(f"    {url}" for url in requests))
            return seconds, await held_applications(page), len(requests), carried
        finally:
            await browser.close()


async def measure(api_port: int, args: argparse.Namespace, username: str) -> None:
    profile = LinkProfile(
        latency=args.rtt_ms / 2000,
        bytes_per_second=args.kbit * 1000 / 8,
        cut_rate=0,
        duplicate_rate=0,
    )
    link = SlowLink(api_port, profile)
    await link.start()
    try:
        times = []
        for run in range(args.runs):
            seconds, held, requests, carried = await prepare_once(
                f"http://127.0.0.1:{link.port}", link, username, args.list_requests
            )
            times.append(seconds)
            print(
                f"run {run + 1}: prepare for offline {seconds:.1f} s; the device holds {held}"
                f" applications; {requests} requests; {carried['response'] / 1024:.0f} KiB down,"
                f" {carried['request'] / 1024:.0f} KiB up"
            )
        print(
            f"prepare for offline, {args.applications} applications, {args.kbit} kbit/s,"
            f" {args.rtt_ms} ms round trip: {statistics.median(times):.1f} s"
            f" (median of {len(times)})"
        )
    finally:
        await link.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--kbit", type=float, default=256)
    parser.add_argument("--rtt-ms", type=float, default=300)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--list-requests", action="store_true", help="print each request's URL")
    args = parser.parse_args()

    build_pwa()
    name = f"motcua_bench_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["createdb", *PG, name], check=True)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    settings = Settings(app_env="test", database_url=dsn, secret_key="bench-" + uuid.uuid4().hex)
    api_port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "S3_ENDPOINT": f"http://127.0.0.1:{moto._port}",
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "1",
        "PORT": str(api_port),
    }
    api = None
    try:
        username = asyncio.run(seed(dsn, settings, args.applications))
        api = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{api_port}/health", timeout=2).is_success:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the API did not start")
            time.sleep(0.3)
        asyncio.run(measure(api_port, args, username))
    finally:
        if api is not None:
            api.terminate()
            try:
                api.wait(timeout=20)
            except subprocess.TimeoutExpired:
                api.kill()
        moto.stop()
        subprocess.run(["dropdb", *PG, "--force", name], check=False)


if __name__ == "__main__":
    main()
