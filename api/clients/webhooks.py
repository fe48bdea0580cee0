"""The webhook sender: one signed POST to an agency's endpoint, per Standard Webhooks.

Headers ``webhook-id`` (the message id: the receiver's dedupe key), ``webhook-timestamp``
(seconds, when this attempt was signed) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``, several separated by spaces while a secret rotates), signed by
the reference ``standardwebhooks`` package. The URL is checked again before each attempt and
every new connection goes only to the addresses its check accepted
(``api.clients.webhook_targets.VettedConnections``, on httpcore, the HTTP layer under httpx,
which lets the connection be made that way). Redirects are not followed, and the whole attempt
has a time-out. The answer is reported, never raised: the caller decides what it means.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import httpcore
import msgspec
from standardwebhooks.webhooks import Webhook

from api.clients.webhook_targets import (
    Resolver,
    UnsafeTarget,
    VettedConnections,
    check_url_shape,
    system_resolver,
)

TIMEOUT_SECONDS = 15.0
EXCERPT_BYTES = 1024
USER_AGENT = "MotCua-Webhooks/1"
# An idle connection to a receiver is kept this long for the next message (httpx's default).
KEEPALIVE_SECONDS = 5.0


class Answer(msgspec.Struct, frozen=True):
    """What one attempt got: an HTTP status, or an error before any (refused, timed out)."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    excerpt: str | None = None
    retry_after: float | None = None
    unsafe_target: bool = False


def signature_header(
    secrets: Sequence[str], message_id: str, timestamp: datetime, body: str
) -> str:
    return " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
        for secret in secrets
    )


def _retry_after(headers: list[tuple[bytes, bytes]]) -> float | None:
    value = next((v for name, v in headers if name.lower() == b"retry-after"), None)
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: the schedule's own wait applies


class WebhookSender:
    def __init__(
        self,
        *,
        production: bool,
        timeout: float = TIMEOUT_SECONDS,
        resolve: Resolver = system_resolver,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        """``resolve`` and ``network``: how names are resolved and sockets opened (tests)."""
        self._production = production
        self._timeout = timeout
        # httpcore follows no redirects: a 3xx is an answer like any other. TLS: httpcore's
        # default context (certifi's roots, as httpx's), checked against the URL's host name.
        self._pool = httpcore.AsyncConnectionPool(
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=KEEPALIVE_SECONDS,
            network_backend=VettedConnections(
                production=production, resolve=resolve, network=network
            ),
        )

    @property
    def timeout(self) -> float:
        """The longest one attempt takes."""
        return self._timeout

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def send(self, url: str, secrets: Sequence[str], message_id: str, body: str) -> Answer:
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        timestamp = datetime.now(UTC)
        content = body.encode()
        headers = [
            ("user-agent", USER_AGENT),
            ("content-type", "application/json"),
            ("webhook-id", message_id),
            ("webhook-timestamp", str(int(timestamp.timestamp()))),
            ("webhook-signature", signature_header(secrets, message_id, timestamp, body)),
        ]
        try:
            check_url_shape(url, production=self._production)
            # One deadline for the whole attempt; streamed, so only the first KB is read.
            async with (
                asyncio.timeout(self._timeout),
                self._pool.stream("POST", url, headers=headers, content=content) as response,
            ):
                head = b""
                async for chunk in response.aiter_stream():
                    head += chunk
                    if len(head) >= EXCERPT_BYTES:
                        break
        except UnsafeTarget as error:
            unresolvable = error.reason == "webhook_url_unresolvable"
            return Answer(None, elapsed(), error=error.reason, unsafe_target=not unresolvable)
        except (TimeoutError, httpcore.TimeoutException):
            return Answer(None, elapsed(), error="timeout")
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            return Answer(None, elapsed(), error=type(exc).__name__ + ": " + str(exc)[:200])
        excerpt = head[:EXCERPT_BYTES].decode("utf-8", "replace")
        return Answer(
            response.status,
            elapsed(),
            excerpt=excerpt,
            retry_after=_retry_after(response.headers),
        )
