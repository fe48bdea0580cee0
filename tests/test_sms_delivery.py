"""An OTP SMS really travels request → arq job in Redis → a real arq worker → the HTTP SMS
gateway, here a loopback HTTP server. Failed deliveries are retried; a job id is sent once.

The worker runs in burst mode on the default queue, so it also delivers SMS that other tests
queued; every assertion therefore looks only at the messages for this test's own phone.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import asyncpg
import httpx
import pytest
from arq.jobs import Job, JobStatus
from arq.worker import Worker, create_worker

from api.clients.sms import HttpSmsGateway
from api.core.jobs import enqueue_once, job_pool, redis_settings
from api.settings import Settings
from tests.support import random_phone
from workers.main import WorkerSettings

# A worker runs here: its relay must start at the head of the outbox.
pytestmark = pytest.mark.usefixtures("relay_from_head")

OTP = "/api/v1/auth/otp"
GATEWAY_TOKEN = "loopback-gateway-token-" + uuid.uuid4().hex
WORKER_DEADLINE_SECONDS = 15


@dataclass(frozen=True, slots=True)
class GatewayRequest:
    body: dict[str, Any]
    authorization: str | None
    answered: int


class LoopbackSmsGateway:
    """A real HTTP server on 127.0.0.1 that records every POST and accepts it with 202 —
    unless told to refuse the next requests for a phone with 500."""

    def __init__(self) -> None:
        self.requests: list[GatewayRequest] = []
        self._refusals: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sms"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def refuse_next(self, phone: str, times: int) -> None:
        with self._lock:
            self._refusals[phone] = times

    def requests_for(self, phone: str) -> list[GatewayRequest]:
        with self._lock:
            return [request for request in self.requests if request.body.get("to") == phone]

    def _answer(self, body: dict[str, Any], authorization: str | None) -> int:
        with self._lock:
            phone = str(body.get("to"))
            refusals = self._refusals.get(phone, 0)
            self._refusals[phone] = max(0, refusals - 1)
            status = 500 if refusals else 202
            self.requests.append(GatewayRequest(body, authorization, status))
            return status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                status = gateway._answer(body, self.headers.get("Authorization"))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

        return Handler


@pytest.fixture
def gateway() -> Iterator[LoopbackSmsGateway]:
    server = LoopbackSmsGateway()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Any]:
    pool = job_pool(settings.redis_url)
    try:
        yield pool
    finally:
        await pool.aclose()


async def deliver_queued_jobs(settings: Settings, gateway: LoopbackSmsGateway) -> Worker:
    """Run the production worker (its functions, start-up, retry policy) in burst mode against
    the test services until the queue is empty; only the SMS sender and retry pace differ."""
    worker = create_worker(
        WorkerSettings,
        redis_settings=redis_settings(settings.redis_url),
        ctx={
            "settings": settings,
            "sms": HttpSmsGateway(gateway.url, GATEWAY_TOKEN, timeout=5),
            "sms_retry_step_seconds": 0.1,
            "relay": False,  # the outbox relay is tested in test_push_delivery.py
        },
        cron_jobs=None,  # housekeeping is tested in test_cleanup.py
        burst=True,
        poll_delay=0.05,
        handle_signals=False,
    )
    try:
        await asyncio.wait_for(worker.async_run(), WORKER_DEADLINE_SECONDS)
    finally:
        await worker.close()
    return worker


async def assert_redis_holds_neither(redis: Any, *secrets: str) -> None:
    """No key of the test Redis database has any of ``secrets`` in its name or value."""
    async for key in redis.scan_iter(count=500):
        kind = (await redis.type(key)).decode()
        if kind == "string":
            values = [await redis.get(key) or b""]
        elif kind == "list":
            values = await redis.lrange(key, 0, -1)
        elif kind == "zset":
            values = await redis.zrange(key, 0, -1)
        elif kind == "hash":
            values = [*(await redis.hgetall(key)).values()]
        else:
            values = []
        for secret in secrets:
            assert secret.encode() not in key, key
            for value in values:
                assert secret.encode() not in value, (key, value)


async def request_code(
    client: httpx.AsyncClient, db: asyncpg.Connection, phone: str, *, typed_as: str | None = None
) -> tuple[str, uuid.UUID]:
    response = await client.post(OTP, json={"phone": typed_as or phone})
    assert response.status_code == 202, response.text
    challenge_id: uuid.UUID = await db.fetchval(
        "SELECT id FROM otp_challenges WHERE phone = $1 AND voided_at IS NULL", phone
    )
    return response.json()["dev_code"], challenge_id


async def test_an_otp_code_reaches_the_sms_gateway_once(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    gateway: LoopbackSmsGateway,
    redis: Any,
) -> None:
    phone = random_phone()
    typed = f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
    code, challenge_id = await request_code(client, db, phone, typed_as=typed)
    assert await Job(f"otp:{challenge_id}", redis).status() == JobStatus.queued

    worker = await deliver_queued_jobs(settings, gateway)

    [sent] = gateway.requests_for(phone)
    assert sent.answered == 202
    assert sent.authorization == f"Bearer {GATEWAY_TOKEN}"
    assert sent.body == {
        "to": phone,
        "text": f"Mã xác thực Một Cửa của bạn là {code}, hiệu lực 5 phút. Không chia sẻ mã này.",
        "id": str(challenge_id),
    }
    assert worker.jobs_complete >= 1
    # Nothing in Redis holds the code or the phone any more: no job, no result, no retry count.
    assert await Job(f"otp:{challenge_id}", redis).result_info() is None
    await assert_redis_holds_neither(redis, code, phone)


async def test_a_refused_sms_is_retried_until_delivered_exactly_once(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    gateway: LoopbackSmsGateway,
    redis: Any,
) -> None:
    phone = random_phone()
    gateway.refuse_next(phone, times=2)
    code, challenge_id = await request_code(client, db, phone)

    worker = await deliver_queued_jobs(settings, gateway)

    attempts = gateway.requests_for(phone)
    assert [attempt.answered for attempt in attempts] == [500, 500, 202]
    # Every attempt carries the same message id, so a gateway can drop duplicates itself.
    assert {attempt.body["id"] for attempt in attempts} == {str(challenge_id)}
    assert all(code in attempt.body["text"] for attempt in attempts)
    assert worker.jobs_retried >= 2
    await assert_redis_holds_neither(redis, code, phone)


async def test_enqueueing_the_same_otp_job_again_sends_one_sms(
    client: httpx.AsyncClient,
    db: asyncpg.Connection,
    settings: Settings,
    gateway: LoopbackSmsGateway,
    redis: Any,
) -> None:
    phone = random_phone()
    _, challenge_id = await request_code(client, db, phone)
    job_id = f"otp:{challenge_id}"
    queued = await Job(job_id, redis).info()
    assert queued is not None

    # The request path retrying its enqueue, before the worker ran and after it delivered.
    await enqueue_once(redis, "send_sms", job_id, **queued.kwargs)
    await deliver_queued_jobs(settings, gateway)
    await enqueue_once(redis, "send_sms", job_id, **queued.kwargs)
    await deliver_queued_jobs(settings, gateway)

    [sent] = gateway.requests_for(phone)
    assert sent.answered == 202 and sent.body["id"] == str(challenge_id)
