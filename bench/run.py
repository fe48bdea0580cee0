"""``make bench``: the API measured from outside with wrk, beside the machine's own limits and a
bare Litestar + asyncpg reference measured in the same run.

    .venv/bin/python bench/run.py [--seconds 10] [--connections 16 64] [--workers N]
                                  [--applications 100000] [--only ROUTE ...] [--rounds 1]

It creates a throw-away database, seeds it (100,000 applications in one unit with COPY),
serves the API as production does (``python -m api``, WEB_CONCURRENCY workers) and the
reference (``python -m bench.reference``, same server options and workers) on loopback ports,
and prints, in one run:
  - pgbench: single-row INSERT+COMMIT TPS and select-only TPS (16 clients);
  - per route, at each connection count: req/s, p50/p95/p99, the ratio to the reference doing
    the same database work and to pgbench;
  - per route and connection count, the CPU time per request of the server (its workers), of
    PostgreSQL and of Redis, for the API and for the reference: where the cores went, a figure
    that moves less between runs on a shared machine than req/s;
  - the API workers' RSS after start, after a warm-up and at the end.
With ``--rounds N`` each route and connection count is measured N times, the API and the
reference taking turns, and the median round of each is printed (CPU per request: over all
rounds): on a shared machine one pair of runs can differ by ten points or more.
wrk is installed with apt-get if missing (as root). Only loopback; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

import asyncpg
import httpx
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.applications.access import UnitScope  # noqa: E402
from api.applications.repository import QUEUE_DEFAULT_STATUSES, _queue_sql  # noqa: E402
from api.core.db import connect  # noqa: E402
from api.migrate import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.processes import cpu_seconds  # noqa: E402
from bench.seed import (  # noqa: E402
    PROCEDURE,
    QUEUE_UNIT,
    put_documents_in_place,
    seed_applications,
    seed_people,
)
from tests.conftest import free_port  # noqa: E402

ADMIN_DSN = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
LOAD_SCRIPT = ROOT / "bench" / "load.lua"
CERTIFIED_COPY_FORM = {
    "document_name": "Bằng tốt nghiệp trung học phổ thông",
    "issued_by": "vietnam",
    "page_count": 1,
    "copy_count": 2,
}
PG = ["-h", "127.0.0.1", "-U", "postgres"]
SYNC_DEVICE_ID = "6d6f7463-7561-4000-8000-62656e636821"


@dataclass
class Route:
    name: str
    kind: str  # get | create | flow (see bench/load.lua)
    paths: list[str]
    tokens: list[str] = field(default_factory=list)
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request
    reference: str | None = None  # the reference route measured beside it
    pgbench: str = "select"  # select | insert: which machine ceiling it is compared with


@dataclass
class Figure:
    requests: int
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    non_2xx: int


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: sudo apt-get install -y wrk")
    return found


def pgbench(database: str, seconds: int, clients: int) -> tuple[float, float]:
    """(single-row INSERT+COMMIT TPS, select-only TPS) with ``clients`` connections."""
    subprocess.run(
        ["pgbench", *PG, "-i", "-q", "-s", "1", database], check=True, capture_output=True
    )
    subprocess.run(
        ["psql", *PG, "-q", "-c", "CREATE TABLE bench_pg_insert (id bigserial, v int)", database],
        check=True,
        capture_output=True,
    )
    figures = []
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write("INSERT INTO bench_pg_insert (v) VALUES (1);\n")
        script.flush()
        for mode in (["-n", "-f", script.name], ["-S"]):
            out = subprocess.run(
                [
                    "pgbench",
                    *PG,
                    *mode,
                    "-c",
                    str(clients),
                    "-j",
                    "2",
                    "-T",
                    str(seconds),
                    database,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            match = re.search(r"tps = ([0-9.]+)", out)
            figures.append(float(match.group(1)) if match else 0.0)
    return figures[0], figures[1]


def run_wrk(wrk: str, base: str, route: Route, paths: list[str], conns: int, secs: int) -> Figure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as data:
        data.write(
            "return "
            + _lua(
                {
                    "kind": route.kind,
                    "paths": paths,
                    "tokens": route.tokens,
                    "body": route.body,
                    "headers": route.headers,
                }
            )
        )
        data.flush()
        out = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{conns}",
                f"-d{secs}s",
                "--timeout",
                "10s",
                "-s",
                str(LOAD_SCRIPT),
                base,
                "--",
                data.name,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=secs + 60,
        ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    r = json.loads(line.removeprefix("RESULT "))
    return Figure(
        requests=r["requests"],
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50=r["p50_us"] / 1000,
        p95=r["p95_us"] / 1000,
        p99=r["p99_us"] / 1000,
        errors=r["errors"],
        non_2xx=r["non_2xx"],
    )


def _lua(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid Lua string
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def _processes(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children] or [master]  # one process serves without workers


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def worker_rss(master: int) -> list[float]:
    return [_rss_mib(pid) for pid in _processes(master)]


@dataclass
class CpuUse:
    """CPU seconds (user + system) used so far by a server's processes, PostgreSQL's and
    Redis's."""

    server: float
    postgres: float
    redis: float

    def per_request_us(self, since: CpuUse, requests: int) -> CpuUse:
        """Microseconds of each per request, from ``since`` to this reading."""
        n = max(requests, 1) / 1e6
        return CpuUse(
            (self.server - since.server) / n,
            (self.postgres - since.postgres) / n,
            (self.redis - since.redis) / n,
        )


def cpu_use(master: int) -> CpuUse:
    """The server ``master`` and its workers, every PostgreSQL process and every Redis one."""
    by_name = {"postgres": 0.0, "redis-server": 0.0}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if name in by_name:
                by_name[name] += cpu_seconds(int(entry.name))
    # Without workers the master is the one process _processes names: count it once.
    server = sum(cpu_seconds(pid) for pid in {master, *_processes(master)})
    return CpuUse(server, by_name["postgres"], by_name["redis-server"])


@dataclass
class Measured:
    """One wrk run of a server: its figures and the CPU per request it cost."""

    figure: Figure
    cpu: CpuUse


def measure(master: int, wrk: str, base: str, route: Route, conns: int, secs: int) -> Measured:
    before = cpu_use(master)
    figure = run_wrk(wrk, base, route, route.paths, conns, secs)
    return Measured(figure, cpu_use(master).per_request_us(before, figure.requests))


def median_round(rounds: list[Measured]) -> Measured:
    """The round with the median req/s (the lower one of an even count), with its errors and
    non-2xx answers summed over the rounds and its CPU per request over all of them."""
    middle = sorted(rounds, key=lambda run: run.figure.rps)[(len(rounds) - 1) // 2]
    requests = sum(run.figure.requests for run in rounds) or 1

    def over_all(part: str) -> float:
        total: float = sum(getattr(run.cpu, part) * run.figure.requests for run in rounds)
        return total / requests

    return Measured(
        replace(
            middle.figure,
            errors=sum(run.figure.errors for run in rounds),
            non_2xx=sum(run.figure.non_2xx for run in rounds),
        ),
        CpuUse(over_all("server"), over_all("postgres"), over_all("redis")),
    )


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered at {url}")


async def prepare(dsn: str, settings: Settings, applications: int) -> dict[str, object]:
    await migrate(dsn)
    conn = await asyncpg.connect(dsn)  # COPY sends jsonb in binary: asyncpg's own codecs
    try:
        codes = await seed_applications(conn, applications)
        people, officer = await seed_people(conn, settings, 64)
        sql, args = _queue_sql(UnitScope(False, QUEUE_UNIT, None), QUEUE_DEFAULT_STATUSES)
        plan = await conn.fetch(
            "EXPLAIN (ANALYZE, COSTS OFF) " + sql, None, None, None, None, 21, *args
        )
        print("officer queue page, EXPLAIN ANALYZE:")
        print("\n".join("    " + row[0] for row in plan))
    finally:
        await conn.close()
    return {"codes": codes, "people": people, "officer": officer}


def routes(seeded: dict[str, object]) -> list[Route]:
    codes: list[str] = seeded["codes"]  # type: ignore[assignment]
    tokens = [p["Authorization"] for p in seeded["people"]]  # type: ignore[attr-defined]
    officer = seeded["officer"]["Authorization"]  # type: ignore[index]
    draft = json.dumps({"procedure_code": PROCEDURE, "form": CERTIFIED_COPY_FORM})
    q = urllib.parse.quote("dang ky khai sinh")
    return [
        Route("public tracking", "get", [f"/api/v1/track/{c}" for c in codes], reference="track"),
        Route(
            "public tracking, 10 repeated codes",
            "get",
            [f"/api/v1/track/{c}" for c in codes[:10]],
            reference="track-repeated",
        ),
        Route("catalogue search", "get", [f"/api/v1/procedures?q={q}&limit=20"]),
        Route("GET /me", "get", ["/api/v1/me"], tokens=tokens),
        Route(
            "create draft",
            "create",
            ["/api/v1/applications"],
            tokens=tokens,
            body=draft,
            reference="drafts",
            pgbench="insert",
        ),
        Route(
            "create + submit",
            "flow",
            ["/api/v1/applications/"],
            tokens=tokens,
            body=draft,
            reference="drafts",
            pgbench="insert",
        ),
        Route("officer queue page", "get", ["/api/v1/officer/queue?limit=20"], tokens=[officer]),
        # The officer's device, registered once the API is up (register_sync_device).
        Route(
            "sync pull, snapshot page of 200",
            "get",
            ["/api/v1/sync/pull?limit=200"],
            tokens=[officer],
            headers={"X-Device-Id": SYNC_DEVICE_ID},
        ),
    ]


def register_sync_device(api_base: str, seeded: dict[str, object]) -> None:
    """The officer's app installation, as the officer app registers it before its first pull."""
    response = httpx.post(
        f"{api_base}/api/v1/sync/devices",
        json={"device_id": SYNC_DEVICE_ID, "label": "bench"},
        headers=seeded["officer"],  # type: ignore[arg-type]
        timeout=30,
    )
    response.raise_for_status()


def reference_paths(name: str, codes: list[str]) -> tuple[str, list[str]]:
    if name == "track":
        return "get", [f"/track/{c}" for c in codes]
    if name == "track-repeated":
        return "get", [f"/track/{c}" for c in codes[:10]]
    return "create", ["/drafts"]


def _serve(module: str, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", module], cwd=ROOT, env={**env, "PORT": str(port)}
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--only", nargs="*", default=None, help="route names to measure")
    parser.add_argument(
        "--rounds", type=int, default=1, help="runs per route and connection count (median)"
    )
    args = parser.parse_args()
    wrk = ensure_wrk()

    name = f"motcua_bench_{uuid.uuid4().hex[:8]}"
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["createdb", *PG, name], check=True)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    moto.start()
    s3 = f"http://127.0.0.1:{moto._port}"
    settings = Settings(app_env="test", database_url=dsn, secret_key="bench-" + uuid.uuid4().hex)
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": dsn,
        "REFERENCE_DSN": dsn,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "S3_ENDPOINT": s3,
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        "WEB_CONCURRENCY": str(args.workers),
        # One client address sends everything: the per-address tracking budget is lifted.
        "TRACK_PER_IP_LIMIT": "1000000000",
    }
    api = reference = None
    try:
        t0 = time.monotonic()
        seeded = asyncio.run(prepare(dsn, settings, args.applications))
        print(f"seeded {args.applications} applications in {time.monotonic() - t0:.0f} s")
        api_port, ref_port = free_port(), free_port()
        api = _serve("api", env, api_port)
        reference = _serve("bench.reference", env, ref_port)
        _wait_for(f"http://127.0.0.1:{api_port}/health")
        _wait_for(f"http://127.0.0.1:{ref_port}/procedures")
        time.sleep(1)
        register_sync_device(f"http://127.0.0.1:{api_port}", seeded)
        rss_start = worker_rss(api.pid)
        insert_tps, select_tps = pgbench(name, args.seconds, 16)
        print(f"machine: {os.cpu_count()} cores; API and reference: {args.workers} workers each")
        print(f"pgbench INSERT+COMMIT (16 clients)  {insert_tps:9.0f} tps")
        print(f"pgbench select-only  (16 clients)  {select_tps:9.0f} tps")
        ceilings = {"insert": insert_tps, "select": select_tps}
        codes: list[str] = seeded["codes"]  # type: ignore[assignment]
        api_base, ref_base = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ref_port}"
        rss_warm: list[float] | None = None
        header = (
            f"| {'route':<36} | conns | req/s | p50 ms | p95 ms | p99 ms | reference req/s "
            "| reference p99 ms | of reference | of pgbench |"
        )
        rows = [header, "|" + "|".join("---" for _ in range(10)) + "|"]
        cpu_rows = [
            f"| {'route':<36} | conns | API | its PostgreSQL | its Redis | reference "
            "| its PostgreSQL |",
            "|" + "|".join("---" for _ in range(7)) + "|",
        ]
        for route in routes(seeded):
            if args.only and route.name not in args.only:
                continue
            if route.kind == "flow":
                procedure = httpx.get(f"{api_base}/api/v1/procedures/{PROCEDURE}").json()
                required = [d["code"] for d in procedure["required_documents"] if d["required"]]
                asyncio.run(_documents(dsn, required))
            ref_route = None
            if route.reference:
                kind, paths = reference_paths(route.reference, codes)
                ref_route = Route("reference", kind, paths, body=route.body)
            for conns in args.connections:
                api_rounds: list[Measured] = []
                ref_rounds: list[Measured] = []
                for _ in range(args.rounds):
                    api_rounds.append(measure(api.pid, wrk, api_base, route, conns, args.seconds))
                    if rss_warm is None:
                        rss_warm = worker_rss(api.pid)
                    if ref_route is not None:
                        ref_rounds.append(
                            measure(reference.pid, wrk, ref_base, ref_route, conns, args.seconds)
                        )
                measured = median_round(api_rounds)
                fig, api_cpu = measured.figure, measured.cpu
                ref_cell, ref_p99, ratio = "", "", ""
                ref_cpu_cells = "| | |"
                if ref_rounds:
                    ref_measured = median_round(ref_rounds)
                    ref, ref_cpu = ref_measured.figure, ref_measured.cpu
                    ref_cpu_cells = f"| {ref_cpu.server:9.0f} | {ref_cpu.postgres:14.0f} |"
                    rps = fig.rps / 2 if route.kind == "flow" else fig.rps
                    ref_cell, ratio = f"{ref.rps:.0f}", f"{100 * rps / ref.rps:.0f} %"
                    ref_p99 = f"{ref.p99:.1f}"
                of_pg = f"{100 * fig.rps / ceilings[route.pgbench]:.1f} %"
                label = route.name + (" (pairs: req/s ÷ 2)" if route.kind == "flow" else "")
                bad = (
                    f" ⚠ {fig.non_2xx} non-2xx, {fig.errors} errors"
                    if fig.non_2xx or fig.errors
                    else ""
                )
                row = (
                    f"| {label:<36} | {conns:>5} | {fig.rps:5.0f} | {fig.p50:6.1f} | {fig.p95:6.1f}"
                    f" | {fig.p99:6.1f} | {ref_cell:>15} | {ref_p99:>16} | {ratio:>12}"
                    f" | {of_pg:>10} |{bad}"
                )
                rows.append(row)
                print(row, flush=True)
                cpu_rows.append(
                    f"| {label:<36} | {conns:>5} | {api_cpu.server:3.0f} "
                    f"| {api_cpu.postgres:14.0f} | {api_cpu.redis:9.0f} {ref_cpu_cells}"
                )
        rss_end = worker_rss(api.pid)
        print()
        print("\n".join(rows))
        print()
        print("CPU µs per request (flows: per request, not per pair)")
        print("\n".join(cpu_rows))
        print()
        fmt = ", ".join
        print(f"API worker RSS MiB after start:   {fmt(f'{x:.0f}' for x in rss_start)}")
        print(f"API worker RSS MiB after warm-up: {fmt(f'{x:.0f}' for x in rss_warm or [])}")
        print(f"API worker RSS MiB at the end:    {fmt(f'{x:.0f}' for x in rss_end)}")
        if rss_warm:
            growth = max(100 * (e - w) / w for e, w in zip(rss_end, rss_warm, strict=False))
            print(f"largest growth after warm-up:      {growth:.0f} %")
    finally:
        for process in (api, reference):
            if process is not None:
                _stop(process)
        moto.stop()
        subprocess.run(["dropdb", *PG, "--force", name], check=False)


async def _documents(dsn: str, required: list[str]) -> None:
    conn = await connect(dsn)
    try:
        await put_documents_in_place(conn, required)
    finally:
        await conn.close()


if __name__ == "__main__":
    main()
