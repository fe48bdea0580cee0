"""A real webhook receiver on loopback for the tests: every request is verified with the
reference ``standardwebhooks`` package against the secrets it holds, and recorded; its
answers can be scripted (a status, or a stall past the sender's time-out), delayed
(``answer_delay``: a slow but working receiver) and counted while in flight."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    headers: dict[str, str]
    body: str
    answered: int
    verified_with: list[int]  # indexes of the held secrets whose signature matched
    payload: Any = None


@dataclass
class LoopbackReceiver:
    secrets: list[str] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    script: deque[int | float] = field(default_factory=deque)  # int: status; float: stall s
    default_answer: int = 200
    answer_delay: float = 0.0
    port: int = 0  # 0: any free port; a fixed one to come up where a dead receiver was
    in_flight: int = 0
    max_in_flight: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def __enter__(self) -> LoopbackReceiver:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer_next(self, *answers: int | float) -> None:
        with self._lock:
            self.script.extend(answers)

    def ids(self) -> list[str]:
        with self._lock:
            return [r.webhook_id for r in self.requests]

    def delivered_ids(self) -> set[str]:
        """The ids a deduplicating receiver processed: verified and answered 2xx."""
        with self._lock:
            return {
                r.webhook_id for r in self.requests if r.verified_with and 200 <= r.answered < 300
            }

    def _verify(self, body: str, headers: dict[str, str]) -> tuple[list[int], Any]:
        matched, payload = [], None
        for index, secret in enumerate(self.secrets):
            try:
                payload = Webhook(secret).verify(body, headers)
                matched.append(index)
            except WebhookVerificationError:
                continue
        return matched, payload

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                with receiver._lock:
                    receiver.in_flight += 1
                    receiver.max_in_flight = max(receiver.max_in_flight, receiver.in_flight)
                try:
                    self._post()
                finally:
                    with receiver._lock:
                        receiver.in_flight -= 1

            def _post(self) -> None:
                if receiver.answer_delay:
                    time.sleep(receiver.answer_delay)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    answer = receiver.script.popleft() if receiver.script else None
                matched, payload = receiver._verify(body, headers)
                if isinstance(answer, float):
                    # Recorded as unanswered (-1): the sender gives up before the stall ends.
                    with receiver._lock:
                        receiver.requests.append(
                            Received(
                                headers.get("webhook-id", ""), headers, body, -1, matched, payload
                            )
                        )
                    time.sleep(answer)
                    return
                status = answer if answer is not None else receiver.default_answer
                if not matched:
                    status = 400
                with receiver._lock:
                    receiver.requests.append(
                        Received(
                            headers.get("webhook-id", ""), headers, body, status, matched, payload
                        )
                    )
                try:
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

        return Handler
