"""Structured JSON logs; every line written while serving a request carries its request id.

Phone numbers and 12-digit citizen ID (CCCD) numbers never reach a log line whole: the JSON
formatter masks them in the message, in every extra field and in tracebacks
(``0912345678`` → ``091****678``, ``+84912345678`` → ``+8491****678``,
``001090123345`` → ``001******345``). The arq worker's job-start lines lose their arguments
(an SMS job's arguments are a phone number and a text with the code).
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import os
import re
import sys
import time
from typing import Any

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# Digits not glued to other digits: a 12-digit CCCD, or a Vietnamese mobile (0 or +84/84, then
# 9 digits). CCCDs are masked first; what is masked has asterisks, so nothing matches twice.
_CCCD = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(\+84|84|0)(\d{2})\d{4}(\d{3})(?!\d)")


def mask_personal_data(text: str) -> str:
    """``text`` with phone and CCCD numbers masked (first and last digits kept)."""
    text = _CCCD.sub(r"\1******\2", text)
    return _PHONE.sub(r"\1\2****\3", text)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_masked(item) for item in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return mask_personal_data(str(value))


class HideJobArguments(logging.Filter):
    """arq logs ``<elapsed>s → <job>(<arguments>)`` when a job starts; keep the job, drop the
    arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        job_start = isinstance(record.msg, str) and "→" in record.msg
        if job_start and isinstance(args, tuple) and len(args) >= 3:
            record.args = (*args[:2], "…", *args[3:])
        return True


_STANDARD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": mask_personal_data(record.getMessage()),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = _masked(value)
        if record.exc_info:
            entry["exc"] = mask_personal_data(self.formatException(record.exc_info))
        return msgspec.json.encode(entry, enc_hook=str).decode()


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    arq_worker = logging.getLogger("arq.worker")
    if not any(isinstance(f, HideJobArguments) for f in arq_worker.filters):
        arq_worker.addFilter(HideJobArguments())


access_logger = logging.getLogger("api.access")


class _RequestIds:
    """Request ids are to be unique, not secret: a random prefix per process and a counter
    (``uuid4`` read the system's random source for every request). A forked child takes a
    prefix of its own."""

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._numbers = itertools.count(1)

    def next(self) -> str:
        return f"{self._prefix}{next(self._numbers):012x}"


new_request_id = _RequestIds().next


# nginx's "client closed request": the client went away before its answer was complete, so
# what the app answered (often a 500: Litestar fails a body read cut short) reached nobody.
CLIENT_CLOSED_REQUEST = 499


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Accept a sane inbound X-Request-ID or make one; echo it and log the request."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        inbound = None
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                inbound = value.decode("latin-1")
                break
        request_id = inbound if inbound and _SAFE_REQUEST_ID.match(inbound) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        request_id_bytes = request_id.encode("latin-1")
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0
        answered = client_gone = False

        async def receive_noting_disconnect() -> ReceiveMessage:
            nonlocal client_gone
            message = await receive()
            if message["type"] == "http.disconnect" and not answered:
                client_gone = True
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
                # Only this wrapper sets the header, so it is added, not searched for.
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"x-request-id", request_id_bytes),
                ]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True
            await send(message)

        try:
            await app(scope, receive_noting_disconnect, send_with_id)
        finally:
            access_logger.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": CLIENT_CLOSED_REQUEST if client_gone else status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)

    return middleware
