"""How the API is served, the same everywhere (``python -m api``, ``make run``, the container,
the tests and the benchmark): uvicorn with the httptools parser, ``WEB_CONCURRENCY`` worker
processes (default: one per core), keep-alive, no uvicorn access log, and a cap on the
request head.

The httptools parser (several times cheaper per request than h11) has no limit of its own on
the request head: it keeps a header line in memory until the line ends. ``CappedHttpToolsProtocol``
counts the bytes received while a head is still incomplete and answers 431 and hangs up once
they pass ``MAX_REQUEST_HEAD_BYTES``, so a hostile client can make a process hold at most the
cap plus one read (64 KiB), not megabytes.
"""

from __future__ import annotations

import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

# The whole request head (request line and headers) a client may send: a phone needs a few KB.
MAX_REQUEST_HEAD_BYTES = 16 * 1024
# Idle keep-alive connections are kept this long: longer than a page's bursts of requests,
# shorter than the usual idle time-out of a reverse proxy in front (60 s).
KEEP_ALIVE_SECONDS = 30


class _HeadTooLarge(Exception):
    pass


class CappedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol refusing request heads over ``MAX_REQUEST_HEAD_BYTES``.

    Two counts: the bytes received while a head is incomplete (from the end of one message or
    the connection's start; body bytes are not counted), checked before the parser buffers
    them, and the size of the parsed request line and headers, checked once the head is
    complete (a whole head may arrive in one read)."""

    max_head_bytes = MAX_REQUEST_HEAD_BYTES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_open = True
        self._head_bytes = 0
        self._parsed_bytes = 0
        self._too_large = False

    def data_received(self, data: bytes) -> None:
        if self._head_open:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._head_open and self._head_bytes > self.max_head_bytes:
            self._too_large = True
            self.send_400_response("")

    def on_message_begin(self) -> None:
        self._parsed_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._parsed_bytes += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._parsed_bytes += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_open = False
        self._head_bytes = 0
        if self._parsed_bytes > self.max_head_bytes:
            self._too_large = True
            raise _HeadTooLarge  # the parser stops; uvicorn answers through send_400_response
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._head_open = True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        if not self._too_large:
            super().send_400_response(msg)
            return
        if self.transport.is_closing():
            return
        message = b"Request header fields too large."
        self.transport.write(
            b"".join(
                [
                    STATUS_LINE[431],
                    b"content-type: text/plain; charset=utf-8\r\n",
                    b"content-length: " + str(len(message)).encode("ascii") + b"\r\n",
                    b"connection: close\r\n\r\n",
                    message,
                ]
            )
        )
        self.transport.close()


def web_concurrency(environ: dict[str, str] | None = None) -> int:
    """Worker processes: ``WEB_CONCURRENCY`` if set, else one per core."""
    raw = (environ if environ is not None else os.environ).get("WEB_CONCURRENCY", "").strip()
    if not raw:
        return max(1, os.cpu_count() or 1)
    workers = int(raw)
    if workers < 1:
        raise ValueError("WEB_CONCURRENCY must be at least 1")
    return workers


def server_options() -> dict[str, Any]:
    """uvicorn options shared by every way of serving the API (tests serve it the same way)."""
    return {
        "http": CappedHttpToolsProtocol,
        "log_config": None,
        "access_log": False,  # the API writes its own access line (api.core.logging)
        "proxy_headers": True,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
