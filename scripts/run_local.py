"""`make run`: local S3 stand-in (unless S3_ENDPOINT is set), migrations, demo data, then the
arq worker and the API on http://127.0.0.1:8000. Ctrl-C stops everything it started."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.migrate import migrate  # noqa: E402
from api.seed import describe, seed_demo  # noqa: E402
from api.settings import load_settings  # noqa: E402


async def _create_database_if_missing(dsn: str) -> None:
    database = dsn.rsplit("/", 1)[1].split("?")[0]
    admin = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()


async def _prepare(dsn: str) -> None:
    from api.core.db import connect

    await _create_database_if_missing(dsn)
    await migrate(dsn)
    conn = await connect(dsn)
    try:
        await seed_demo(conn)
    finally:
        await conn.close()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # Explicit handlers: a parent that started us in the background may have ignored SIGINT.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    env = dict(os.environ)
    moto = None
    if not env.get("S3_ENDPOINT"):
        from moto.server import ThreadedMotoServer

        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=9000, verbose=False)
        moto.start()
        env["S3_ENDPOINT"] = "http://127.0.0.1:9000"
        print("local S3 stand-in (moto) on http://127.0.0.1:9000")
    os.environ.update(env)
    settings = load_settings()
    asyncio.run(_prepare(settings.database_url))
    python = sys.executable
    children = [
        subprocess.Popen(
            [python, "-m", "workers"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        ),
        subprocess.Popen([python, "-m", "api"], cwd=ROOT, env=env, start_new_session=True),
    ]
    print(describe())
    print("Một Cửa is running on http://127.0.0.1:8000  (API docs: /schema)  — Ctrl-C to stop")
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if moto is not None:
            moto.stop()


if __name__ == "__main__":
    main()
