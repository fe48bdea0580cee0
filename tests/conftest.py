"""Test harness: real PostgreSQL (a throw-away database per run), real Redis, moto's S3 server
on a free loopback port, and the API served by uvicorn on another free port.

Tests talk HTTP to the running server with httpx, and look at the database with asyncpg.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from moto.server import ThreadedMotoServer

from api.__main__ import server_options
from api.app import create_asgi_app
from api.core.db import connect
from api.settings import Settings

ADMIN_DSN = os.environ.get(
    "TEST_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dsn_for(database: str) -> str:
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + database


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    name = f"motcua_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _dsn_for(name)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pwa_dist() -> str:
    """The citizen app, built when its sources are newer than the last build."""
    from tests.pwa_build import ensure_built

    return str(ensure_built())


@pytest.fixture(scope="session")
def settings(database_url: str, s3_endpoint: str, pwa_dist: str) -> Settings:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return Settings(
        app_env="test",
        database_url=database_url,
        redis_url=REDIS_URL,
        s3_endpoint=s3_endpoint,
        s3_public_endpoint=s3_endpoint,
        s3_bucket=f"motcua-test-{uuid.uuid4().hex[:8]}",
        secret_key="test-secret-key-" + uuid.uuid4().hex,
        log_level="WARNING",
        pwa_dir=pwa_dist,
    )


class ServedApp:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_asgi_app(settings),
            host="127.0.0.1",
            port=self.port,
            lifespan="on",
            forwarded_allow_ips="127.0.0.1",
            **server_options(),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API did not start; see the log above")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def served_app(settings: Settings) -> Iterator[ServedApp]:
    app = ServedApp(settings)
    app.start()
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
async def client(served_app: ServedApp) -> AsyncIterator[httpx.AsyncClient]:
    # Each test gets its own client address so per-IP limits of one test do not leak into another.
    headers = {"X-Forwarded-For": f"198.51.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}
    async with httpx.AsyncClient(base_url=served_app.base_url, headers=headers, timeout=30) as http:
        yield http


@pytest.fixture
async def db(settings: Settings, served_app: ServedApp) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(settings.database_url)
    try:
        yield conn
    finally:
        await conn.close()


def problem(
    response: httpx.Response, status: int, type_suffix: str | None = None
) -> dict[str, Any]:
    """Assert an RFC 9457 problem response and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    assert body["title"]
    if type_suffix is not None:
        assert body["type"] == f"/problems/{type_suffix}", body
    assert "Traceback" not in response.text
    return body


@pytest.fixture
async def relay_from_head(settings: Settings, served_app: ServedApp) -> AsyncIterator[None]:
    """For tests that run a worker: a job queue with nothing left over from earlier tests (their
    retries to receivers long closed would hold the worker's job slots), and an outbox relay
    that starts from the feed's head as it is when the test begins — not behind every event the
    suite wrote since an earlier worker stopped, and not after events the test writes while its
    worker process is still starting. The relay's marker says Redis kept its jobs, so it does
    not replay the last hours of the suite's events either."""
    import redis.asyncio

    from api.core.changes import encode_feed_cursor, feed_head
    from workers.relay import MARKER_KEY, RELAY_NAME

    client = redis.asyncio.Redis.from_url(settings.redis_url)
    conn = await connect(settings.database_url)
    try:
        await client.flushdb()
        await client.set(MARKER_KEY, "1")
        await conn.execute(
            "INSERT INTO relay_cursors (name, cursor) VALUES ($1, $2)"
            " ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor",
            RELAY_NAME,
            encode_feed_cursor("events", await feed_head(conn)),
        )
        yield
        await conn.execute("DELETE FROM relay_cursors")
    finally:
        await conn.close()
        await client.aclose()


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Worker processes a test starts; stopped (SIGINT, then SIGKILL after 10 s) at its end."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
