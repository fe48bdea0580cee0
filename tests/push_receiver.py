"""A push service on loopback for the tests: it checks VAPID like a real one and decrypts
each message with the subscription's private key, so a test reads what the phone would read.

Each subscription made by ``subscribe_keys`` gets its own endpoint path; ``script`` sets the
next answers for a path (201 by default; 429 comes with ``Retry-After``).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.clients.webpush import b64url, b64url_decode


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A worker killed mid-request resets its connection; that is expected here."""


@dataclass
class Device:
    """A browser's subscription: its endpoint and its private half of the keys."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }


@dataclass
class Received:
    path: str
    answered: int
    payload: dict[str, Any] | None
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class PushReceiver:
    def __init__(self, vapid_public_key: str) -> None:
        self.vapid_public_key = vapid_public_key
        self.received: list[Received] = []
        self.refused: list[str] = []  # why a message failed the VAPID or decryption checks
        self._devices: dict[str, Device] = {}
        self._answers: dict[str, deque[int]] = {}
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def device(self) -> Device:
        endpoint = f"{self.origin}/push/{uuid.uuid4().hex}"
        device = Device(endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        with self._lock:
            self._devices[endpoint.removeprefix(self.origin)] = device
        return device

    def script(self, device: Device, *answers: int) -> None:
        with self._lock:
            self._answers[device.endpoint.removeprefix(self.origin)] = deque(answers)

    def for_device(self, device: Device) -> list[Received]:
        path = device.endpoint.removeprefix(self.origin)
        with self._lock:
            return [r for r in self.received if r.path == path]

    def delivered(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.answered == 201]

    def _check_vapid(self, authorization: str) -> None:
        scheme, _, params = authorization.partition(" ")
        assert scheme == "vapid", authorization
        values = dict(part.strip().split("=", 1) for part in params.split(","))
        assert values["k"] == self.vapid_public_key, "signed by another key"
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(values["k"])
        )
        claims = jwt.decode(values["t"], public, algorithms=["ES256"], audience=self.origin)
        assert 0 < claims["exp"] - time.time() <= 24 * 3600, claims
        assert str(claims["sub"]).startswith(("mailto:", "https://")), claims

    def _answer(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str]]:
        with self._lock:
            device = self._devices.get(path)
            scripted = self._answers.get(path)
            status = scripted.popleft() if scripted else 201
        payload = None
        if device is None:
            status = 404
        else:
            try:
                self._check_vapid(headers.get("authorization", ""))
                assert headers.get("content-encoding") == "aes128gcm"
                plain = http_ece.decrypt(
                    body,
                    private_key=device.private_key,
                    auth_secret=device.auth,
                    version="aes128gcm",
                )
                payload = json.loads(plain)
            except Exception as exc:
                with self._lock:
                    self.refused.append(repr(exc))
                status = 401
        with self._lock:
            self.received.append(Received(path, status, payload, headers))
        return status, ({"Retry-After": "1"} if status == 429 else {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, extra = receiver._answer(self.path, headers, body)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

        return Handler
