"""``make bench-sync``: offline sync over a slow link, beside the machine's own database limit.

    .venv/bin/python bench/sync.py [--applications 500] [--commands 200] [--seconds 10]
                                   [--kbit 256] [--rtt-ms 300] [--workers N]

It creates a throw-away database, seeds one commune's work set (``--applications``
applications as a counter intake leaves them: the applicant typed from the ID card, the form,
two documents, a timeline of two steps with notes, an officer's note), serves the API as
production does (``python -m api``) on a loopback port and prints, in one run:

  - bytes per application record in a pull page, as sent: JSON, JSON+gzip, MessagePack+gzip
    (the page without the reference section, divided by its records);
  - the time to pull the whole work set (snapshot, pages of 200, gzip) and to push
    ``--commands`` commands (an outbox of start + note per application, batches of 100)
    over the benchmarks' slow link (``SlowLink`` in tests/lossy_proxy.py) at ``--kbit`` kbit/s
    with ``--rtt-ms`` round trips: one line per direction shared by the connections, bytes
    pipelined, one round trip per new connection for its handshake, no cuts;
  - what a second push of the same outbox sends (the client keeps only unanswered commands),
    and what a forced re-send of every command costs and changes (duplicates, nothing applied
    again);
  - the server's pull throughput in records/s (16 devices pulling 500-record snapshot pages
    with gzip, a tight asyncio client) beside pgbench select-only TPS measured in the same run.

Goals (issue 10): at most 1 KB per record compressed; the work set pulled in under 30 s on that
link.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.applications.events import (  # noqa: E402
    Received,
    StatusChange,
    Submitted,
    event_payload,
    event_type,
)
from api.applications.state_machine import Status  # noqa: E402
from api.core.clock import vn_today  # noqa: E402
from api.migrate import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.run import ADMIN_DSN, PG, _serve, _stop, _wait_for, pgbench  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.lossy_proxy import LinkProfile, SlowLink  # noqa: E402
from tests.support import staff  # noqa: E402
from tests.sync_client import SyncClient  # noqa: E402
from tests.sync_support import applicant, intake_form  # noqa: E402
from tests.test_applications import COMMUNE_PROCEDURE, OPTIONAL_CODE, REQUIRED_CODES  # noqa: E402

UNIT = "00004"
PULL = "/api/v1/sync/pull"
NOTES = ["Đã nhận đủ hồ sơ giấy, hẹn trả kết quả đúng hạn.", "Chuyển cán bộ tư pháp xử lý."]
# Real work sets differ record by record (names, dates, numbers, villages): gzip must not be
# flattered by copies of one record.
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Lò", "Hà", "Sùng", "Giàng", "Vàng", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Seo", "A", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Páo", "Mai", "Dũng", "Hoa", "Chứ", "Sính", "Lan", "Tú", "Mỷ", "Dình"]
VILLAGES = ["Nậm Cang", "Pú Nhu", "Tả Van", "Lao Chải", "Sín Chải", "Nà Hẩu", "Khe Mạ", "Pắc Ngòi"]
ETHNICITIES = ["Kinh", "Mông", "Thái", "Dao", "Tày", "Nùng", "Giáy"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _day(rng: random.Random, start: int, end: int) -> str:
    return (date(start, 1, 1) + timedelta(days=rng.randrange((end - start) * 365))).isoformat()


def varied_applicant(rng: random.Random) -> dict[str, Any]:
    person = applicant()
    person["full_name"] = _name(rng)
    person["date_of_birth"] = _day(rng, 1960, 2005)
    person["gender"] = rng.choice(["male", "female"])
    person["address"]["street"] = f"Bản {rng.choice(VILLAGES)}, nhà số {rng.randint(1, 200)}"
    return person


def varied_form(rng: random.Random) -> dict[str, Any]:
    form = intake_form()
    form["child_full_name"] = _name(rng)
    form["child_date_of_birth"] = _day(rng, 2025, 2026)
    form["child_sex"] = rng.choice(["male", "female"])
    form["child_ethnicity"] = rng.choice(ETHNICITIES)
    form["mother_full_name"] = _name(rng)
    return form


async def seed(conn: asyncpg.Connection, count: int, officer_id: uuid.UUID) -> list[uuid.UUID]:
    """``count`` counter applications of UNIT just received (version 2) by ``officer_id``, each
    with two stored documents, its submitted and received steps and the officer's note (the
    sync ``note`` command's audit row), as the pull hands them out."""
    rng = random.Random(10)
    today = vn_today()
    ids: list[uuid.UUID] = []
    applications, documents, events, notes = [], [], [], []
    for n in range(count):
        application_id = uuid.uuid4()
        ids.append(application_id)
        received = today - timedelta(days=rng.randint(0, 10))
        at = datetime.combine(received, datetime.min.time(), UTC) + timedelta(hours=2)
        due = received + timedelta(days=7)
        code = f"{UNIT}-{received:%y%m%d}-{n % 9000 + 1:04d}-{rng.randrange(16**4):04X}"
        applications.append(
            (
                application_id,
                COMMUNE_PROCEDURE,
                UNIT,
                "counter",
                "received",
                msgspec.json.encode(varied_applicant(rng)).decode(),
                msgspec.json.encode(varied_form(rng)).decode(),
                code,
                at,
                received,
                due,
                2,
                "staff",
                officer_id,
                uuid.uuid4(),
                "bench",
            )
        )
        for requirement, size in ((REQUIRED_CODES[0], 182_331), (OPTIONAL_CODE, 96_204)):
            digest = rng.randbytes(32).hex()
            documents.append(
                (
                    application_id,
                    "input",
                    requirement,
                    f"bench/{uuid.uuid4()}",
                    "image/jpeg",
                    size,
                    digest,
                    "stored",
                    "image/jpeg",
                    size,
                    digest,
                    at + timedelta(days=1),
                    "staff",
                    officer_id,
                )
            )
        steps: list[tuple[type[StatusChange], Status | None, Status, str | None]] = [
            (Submitted, "draft", "submitted", None),
            (Received, "submitted", "received", NOTES[0]),
        ]
        notes.append(
            (
                "staff",
                officer_id,
                "officer",
                "application.note",
                application_id,
                UNIT,
                "received",
                "received",
                NOTES[1],
                at + timedelta(minutes=5),
                at + timedelta(minutes=4),
            )
        )
        for seq, (event_class, from_status, to_status, note) in enumerate(steps, start=1):
            event = event_class(
                application_id=application_id,
                seq=seq,
                receipt_code=code,
                procedure_code=COMMUNE_PROCEDURE,
                unit_code=UNIT,
                citizen_id=None,
                channel="counter",
                version=seq,
                occurred_at=at + timedelta(minutes=seq),
                due_date=due,
                from_status=from_status,
                to_status=to_status,
                actor_kind="staff",
                actor_role="officer",
                note=note,
            )
            events.append(
                (
                    application_id,
                    seq,
                    event_type(event_class),
                    msgspec.json.encode(event_payload(event)).decode(),
                    event.occurred_at,
                )
            )
    await conn.copy_records_to_table(
        "applications",
        records=applications,
        columns=[
            "id",
            "procedure_code",
            "unit_code",
            "channel",
            "status",
            "applicant",
            "form",
            "receipt_code",
            "submitted_at",
            "received_on",
            "due_date",
            "version",
            "created_by_kind",
            "created_by_id",
            "idempotency_key",
            "request_fingerprint",
        ],
    )
    await conn.copy_records_to_table(
        "application_documents",
        records=documents,
        columns=[
            "application_id",
            "kind",
            "requirement",
            "object_key",
            "declared_content_type",
            "declared_size",
            "declared_sha256",
            "status",
            "content_type",
            "size",
            "sha256",
            "upload_expires_at",
            "uploaded_by_kind",
            "uploaded_by_id",
        ],
    )
    await conn.copy_records_to_table(
        "events",
        records=events,
        columns=["application_id", "seq", "type", "payload", "occurred_at"],
    )
    await conn.copy_records_to_table(
        "audit_log",
        records=notes,
        columns=[
            "actor_kind",
            "actor_id",
            "actor_role",
            "action",
            "application_id",
            "unit_code",
            "from_status",
            "to_status",
            "note",
            "occurred_at",
            "device_time",
        ],
    )
    await conn.execute(
        "ANALYZE applications; ANALYZE application_documents; ANALYZE events; ANALYZE audit_log"
    )
    return ids


async def record_sizes(base: str, auth: dict[str, str], count: int) -> dict[str, float]:
    """Bytes per record of a page without the reference section, as the server sends it."""
    client = SyncClient(base, auth, rng=random.Random(1))
    await client.register("bench: record sizes")
    try:
        first = await client.request("GET", PULL, params={"limit": 1})
        cursor = first.json()["next_cursor"]
        sizes: dict[str, float] = {}
        for label, headers in (
            ("JSON", {"Accept-Encoding": "identity"}),
            ("JSON+gzip", {"Accept-Encoding": "gzip"}),
            ("msgpack+gzip", {"Accept-Encoding": "gzip", "Accept": "application/msgpack"}),
        ):
            response = await client.request(
                "GET", PULL, params={"limit": 500, "cursor": cursor}, headers=headers
            )
            page = (
                msgspec.msgpack.decode(response.content) if "msgpack" in label else response.json()
            )
            assert page["reference"] is None and len(page["applications"]) == min(499, count - 1)
            sizes[label] = response.num_bytes_downloaded / len(page["applications"])
            if label == "JSON":
                # An incremental pull often carries one record: gzip has nothing to share.
                alone = [gzip.compress(msgspec.json.encode(r)) for r in page["applications"]]
                sizes["one record alone, gzip"] = sum(map(len, alone)) / len(alone)
        return sizes
    finally:
        await client.close()


async def over_the_link(
    dsn: str,
    port: int,
    auth: dict[str, str],
    ids: list[uuid.UUID],
    commands: int,
    link: LinkProfile,
) -> list[str]:
    proxy = SlowLink(port, link)
    await proxy.start()
    lines: list[str] = []
    client = SyncClient(f"http://127.0.0.1:{proxy.port}", auth, rng=random.Random(2))
    try:
        await client.register("bench: slow link")
        started = time.monotonic()
        await client.pull(limit=200)
        took = time.monotonic() - started
        lines.append(
            f"pull of the work set ({len(client.work_set)} records + reference, pages of 200,"
            f" gzip): {took:.1f} s, {proxy.stats.bytes_down / 1024:.0f} KiB down"
        )
        for application_id in ids[: commands // 2]:
            start = client.command(
                "transition",
                {"action": "start", "note": NOTES[1]},
                application_id=str(application_id),
                base_version=2,
            )
            client.command(
                "note",
                {"note": "Đã gọi điện hẹn công dân ngày trả kết quả"},
                application_id=str(application_id),
                depends_on=start["command_id"],
            )
        up, down = proxy.stats.bytes_up, proxy.stats.bytes_down
        started = time.monotonic()
        await client.push(batch=100, rounds=10)
        took = time.monotonic() - started
        outcomes = [client.final(c)["outcome"] for c in client.outbox]
        assert outcomes.count("applied") == len(outcomes), outcomes
        lines.append(
            f"push of {len(client.outbox)} commands (batches of 100):"
            f" {took:.1f} s, {(proxy.stats.bytes_up - up) / 1024:.0f} KiB up,"
            f" {(proxy.stats.bytes_down - down) / 1024:.0f} KiB down;"
            f" {outcomes.count('applied')} applied"
        )
        up, down, connections = (
            proxy.stats.bytes_up,
            proxy.stats.bytes_down,
            proxy.stats.connections,
        )
        await client.push(
            batch=100, rounds=10
        )  # the same outbox again: every command has its answer
        lines.append(
            "second push of the same outbox:"
            f" {proxy.stats.connections - connections} requests,"
            f" {proxy.stats.bytes_up - up} bytes up (answered commands are not re-sent)"
        )
        up, down = proxy.stats.bytes_up, proxy.stats.bytes_down
        events_before = await _events(dsn)
        started = time.monotonic()
        replayed = []
        for batch in range(0, len(client.outbox), 100):
            replayed += await client.send(client.outbox[batch : batch + 100])
        took = time.monotonic() - started
        duplicates = sum(1 for r in replayed if r["outcome"] == "duplicate")
        lines.append(
            f"forced re-send of all {len(replayed)} (every answer lost): {took:.1f} s,"
            f" {(proxy.stats.bytes_up - up) / 1024:.0f} KiB up,"
            f" {(proxy.stats.bytes_down - down) / 1024:.0f} KiB down;"
            f" {duplicates} duplicate, no event written"
        )
        assert duplicates == len(replayed) and await _events(dsn) == events_before
    finally:
        await client.close()
        await proxy.stop()
    return lines


async def _events(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM events")
        return count
    finally:
        await conn.close()


async def pull_throughput(
    base: str, auth: dict[str, str], seconds: float, devices: int = 16
) -> tuple[float, float]:
    """(records/s, requests/s) of ``devices`` devices pulling 500-record snapshot pages."""
    clients = [SyncClient(base, auth, rng=random.Random(i)) for i in range(devices)]
    for client in clients:
        await client.register("bench: throughput")
    records = requests = 0
    deadline = time.monotonic() + seconds

    async def loop(client: SyncClient) -> None:
        nonlocal records, requests
        async with httpx.AsyncClient(base_url=base, timeout=60, headers=client.headers) as http:
            while time.monotonic() < deadline:
                response = await http.get(
                    PULL, params={"limit": 500}, headers={"Accept-Encoding": "gzip"}
                )
                assert response.status_code == 200, response.text
                records += response.content.count(b'"channel"')  # one per record, no decode
                requests += 1

    started = time.monotonic()
    await asyncio.gather(*(loop(c) for c in clients))
    elapsed = time.monotonic() - started
    for client in clients:
        await client.close()
    return records / elapsed, requests / elapsed


async def prepare(
    dsn: str, settings: Settings, count: int
) -> tuple[list[uuid.UUID], dict[str, str]]:
    await migrate(dsn)
    conn = await asyncpg.connect(dsn)
    try:
        officer_id, officer = await staff(conn, settings, unit_code=UNIT)
        ids = await seed(conn, count, officer_id)
    finally:
        await conn.close()
    return ids, officer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--kbit", type=float, default=256)
    parser.add_argument("--rtt-ms", type=float, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    name = f"motcua_bench_sync_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["createdb", *PG, name], check=True)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    settings = Settings(app_env="test", database_url=dsn, secret_key="bench-" + uuid.uuid4().hex)
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "S3_ENDPOINT": f"http://127.0.0.1:{moto._port}",
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        "WEB_CONCURRENCY": str(args.workers),
    }
    api = None
    try:
        ids, officer = asyncio.run(prepare(dsn, settings, args.applications))
        port = free_port()
        api = _serve("api", env, port)
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/health")
        print(
            f"machine: {os.cpu_count()} cores; API: {args.workers} workers;"
            f" {args.applications} applications seeded in unit {UNIT} ({date.today()})"
        )
        sizes = asyncio.run(record_sizes(base, officer, args.applications))
        print("bytes per application record in a pull page:")
        for label, size in sizes.items():
            print(f"    {label:<22} {size:7.0f} B")
        link = LinkProfile(
            latency=args.rtt_ms / 2000,
            bytes_per_second=args.kbit * 1000 / 8,
            cut_rate=0.0,
            duplicate_rate=0.0,
        )
        print(f"over a {args.kbit:.0f} kbit/s link with {args.rtt_ms:.0f} ms round trips:")
        lines = asyncio.run(over_the_link(dsn, port, officer, ids, args.commands, link))
        print("\n".join("    " + line for line in lines))
        records, requests = asyncio.run(pull_throughput(base, officer, args.seconds))
        _, select_tps = pgbench(name, args.seconds, 16)
        print(
            f"pull throughput (16 devices, 500-record gzip pages): {records:,.0f} records/s"
            f" ({requests:.1f} pages/s)"
        )
        print(f"pgbench select-only (16 clients), same run:         {select_tps:,.0f} tps")
    finally:
        if api is not None:
            _stop(api)
        moto.stop()
        subprocess.run(["dropdb", *PG, "--force", name], check=False)


if __name__ == "__main__":
    main()
