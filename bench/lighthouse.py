"""``make bench-lighthouse``: Lighthouse (from pwa/'s dev dependencies) on the citizen app's home,
a procedure screen and a form screen, mobile form factor, simulated throttling.

    .venv/bin/python bench/lighthouse.py [--runs N] [--keep DIR]

It builds the app (``make pwa``), creates a throw-away database, serves the API as production
does (``python -m api``, one worker) with moto's S3 on loopback, and starts Debian's Chromium
(``CHROME_PATH``, default /usr/bin/chromium; never a downloaded browser) with a debugging port.
The form screen needs a signed-in citizen with a draft on the phone: a citizen with a complete
profile signs in through the API (the development OTP), the tokens go into the app's IndexedDB
the way the app keeps them, the app's own "apply" route creates the draft, and then the service
worker, its caches and the HTTP cache are dropped so the form loads cold like the others
(Lighthouse keeps that storage for that one run). Home and procedure are measured signed out
with Lighthouse's usual storage reset: a first visit. Prints, per screen, the performance,
accessibility and best-practices scores (goals: 95, 100, 95) and FCP, LCP, TBT and CLS; with
several runs (``--runs``, default 3), the median run by performance.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.core.db import connect  # noqa: E402
from api.migrate import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.seed import PROCEDURE  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.support import citizen  # noqa: E402

ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PG = ["-h", "127.0.0.1", "-U", "postgres"]
PWA = ROOT / "pwa"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 95}
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}

# Runs in the app's page: the session where the app keeps it (IndexedDB "motcua", store "kv",
# key "auth"; see pwa/src/lib/api.js saveSession).
PUT_SESSION = """async (auth) => {
  const db = await new Promise((ok, fail) => {
    const open = indexedDB.open("motcua", 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("kv");
      open.result.createObjectStore("drafts", { keyPath: "id" });
    };
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  await new Promise((ok, fail) => {
    const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(auth, "auth");
    tx.oncomplete = ok;
    tx.onerror = () => fail(tx.error);
  });
  db.close();
}"""

DROP_WORKER = """async () => {
  for (const registration of await navigator.serviceWorker.getRegistrations())
    await registration.unregister();
  for (const key of await caches.keys()) await caches.delete(key);
}"""


async def signed_in_citizen(settings: Settings, base: str) -> dict[str, object]:
    """A citizen with a complete profile, signed in through the API: the app's session record."""
    conn = await connect(settings.database_url)
    try:
        citizen_id, _ = await citizen(conn, settings)
        phone = await conn.fetchval("SELECT phone FROM citizens WHERE id = $1", citizen_id)
    finally:
        await conn.close()
    async with httpx.AsyncClient(base_url=base + "/api/v1", timeout=30) as http:
        sent = await http.post("/auth/otp", json={"phone": phone})
        sent.raise_for_status()
        pair = await http.post(
            "/auth/otp/verify", json={"phone": phone, "code": sent.json()["dev_code"]}
        )
        pair.raise_for_status()
    tokens = pair.json()
    return {
        "access": tokens["access_token"],
        "refresh": tokens["refresh_token"],
        "expiresAt": int(time.time() * 1000) + (tokens["expires_in"] - 30) * 1000,
        "accountId": tokens["account"]["id"],
    }


def draft_url(debug_port: int, base: str, auth: dict[str, object]) -> str:
    """Puts the session on the phone and opens a draft of the procedure: the form's URL."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(f"http://127.0.0.1:{debug_port}")
        context = browser.contexts[0]
        page = context.new_page()
        page.goto(base + "/#/")
        page.wait_for_selector("nav.tabs")
        page.evaluate(PUT_SESSION, auth)
        page.goto("about:blank")  # the app reads the session when it starts
        page.goto(f"{base}/#/p/{PROCEDURE}/apply")
        page.wait_for_function("location.hash.startsWith('#/d/')", timeout=30_000)
        page.wait_for_selector("form")
        url = page.url
        page.evaluate(DROP_WORKER)
        context.new_cdp_session(page).send("Network.clearBrowserCache")
        page.close()
        browser.close()
    return url


def lighthouse(url: str, debug_port: int, out: Path, *, keep_storage: bool) -> dict[str, float]:
    command = [
        "npx",
        "--no-install",
        "lighthouse",
        url,
        f"--port={debug_port}",
        "--output=json",
        f"--output-path={out}",
        "--form-factor=mobile",
        "--throttling-method=simulate",
        "--only-categories=performance,accessibility,best-practices",
        "--quiet",
    ]
    if keep_storage:
        command.append("--disable-storage-reset")
    subprocess.run(command, cwd=PWA, check=True, timeout=300)
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    figures = {name: 100 * cat["score"] for name, cat in report["categories"].items()}
    for short, audit in METRICS.items():
        figures[short] = report["audits"][audit]["numericValue"]
    return figures


def failing_audits(out: Path) -> list[str]:
    """Audits below full marks in the scored categories other than performance metrics."""
    report = json.loads(out.read_text())
    found = []
    for name in ("accessibility", "best-practices"):
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{name}: {ref['id']} ({audit['title']})")
    return found


def start_chromium(debug_port: int, profile: str) -> subprocess.Popen[bytes]:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    process = subprocess.Popen(
        [
            chrome,
            *CHROME_FLAGS,
            f"--remote-debugging-port={debug_port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(f"http://127.0.0.1:{debug_port}/json/version")
    return process


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 60 s")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def report(screen: str, runs: list[dict[str, float]], notes: list[str]) -> str:
    ordered = sorted(runs, key=lambda r: r["performance"])
    fig = ordered[len(ordered) // 2]
    scores = " | ".join(f"{fig[name]:3.0f}" for name in GOALS)
    metrics = (
        f"{fig['FCP'] / 1000:.1f} s | {fig['LCP'] / 1000:.1f} s | {fig['TBT']:.0f} ms"
        f" | {fig['CLS']:.3f}"
    )
    missed = [f"{n} {fig[n]:.0f} < {goal}" for n, goal in GOALS.items() if fig[n] < goal]
    spread = ""
    if len(runs) > 1:
        perf = [r["performance"] for r in runs]
        middle = statistics.median(perf)
        spread = f" (performance {min(perf):.0f}–{max(perf):.0f}, median {middle:.0f})"
    row = f"| {screen:<10} | {scores} | {metrics} |" + (" ⚠ " + ", ".join(missed) if missed else "")
    return row + spread + "".join(f"\n    {note}" for note in notes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs per screen (median reported)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the JSON reports here")
    args = parser.parse_args()
    subprocess.run(["make", "--no-print-directory", "pwa"], cwd=ROOT, check=True)

    name = f"motcua_bench_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["createdb", *PG, name], check=True)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    s3 = f"http://127.0.0.1:{moto._port}"
    settings = Settings(app_env="test", database_url=dsn, secret_key="bench-" + uuid.uuid4().hex)
    port, debug_port = free_port(), free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "S3_ENDPOINT": s3,
        "S3_PUBLIC_ENDPOINT": s3,
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
    }
    api = chromium = None
    profile = tempfile.mkdtemp(prefix="motcua-lighthouse-")
    reports = args.keep or Path(tempfile.mkdtemp(prefix="motcua-lighthouse-reports-"))
    reports.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(migrate(dsn))
        api = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/health")
        chromium = start_chromium(debug_port, profile)
        auth = asyncio.run(signed_in_citizen(settings, base))
        form = draft_url(debug_port, base, auth)
        # The form first: the other two reset the origin's storage, which holds its draft.
        screens = [
            ("form", form, True),
            ("home", base + "/#/", False),
            ("procedure", f"{base}/#/p/{PROCEDURE}", False),
        ]
        rows = []
        for screen, url, keep_storage in screens:
            runs = []
            for run in range(args.runs):
                out = reports / f"{screen}-{run + 1}.json"
                runs.append(lighthouse(url, debug_port, out, keep_storage=keep_storage))
            notes = failing_audits(reports / f"{screen}-1.json")
            rows.append(report(screen, runs, notes))
        print()
        cores = os.cpu_count()
        print(f"Lighthouse mobile, simulated throttling, {cores} cores; {args.runs} run(s)")
        print("| screen     | perf | a11y | b-p | FCP | LCP | TBT | CLS |")
        print("\n".join(rows))
        print(f"reports: {reports}")
    finally:
        _stop(chromium)
        _stop(api)
        moto.stop()
        subprocess.run(["dropdb", *PG, "--force", name], check=False)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
