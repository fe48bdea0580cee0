"""The webhook sender: one signed POST to an agency's endpoint, per Standard Webhooks.

Headers ``webhook-id`` (the message id: the receiver's dedupe key), ``webhook-timestamp``
(seconds, when this attempt was signed) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``, several separated by spaces while a secret rotates), signed by
the reference ``standardwebhooks`` package. The target is checked again before each attempt
(``api.clients.webhook_targets``), redirects are not followed, and the whole attempt has a time-out.
The answer is reported, never raised: the caller decides what it means.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx
import msgspec
from standardwebhooks.webhooks import Webhook

from api.clients.webhook_targets import Resolver, UnsafeTarget, check_target, system_resolver

TIMEOUT_SECONDS = 15.0
EXCERPT_BYTES = 1024
USER_AGENT = "MotCua-Webhooks/1"


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


def _retry_after(value: str | None) -> float | None:
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
    ) -> None:
        self._production = production
        self._resolve = resolve
        self._timeout = timeout
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    @property
    def timeout(self) -> float:
        """The longest one attempt takes."""
        return self._timeout

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, url: str, secrets: Sequence[str], message_id: str, body: str) -> Answer:
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            await check_target(url, production=self._production, resolve=self._resolve)
        except UnsafeTarget as error:
            unresolvable = error.reason == "webhook_url_unresolvable"
            return Answer(None, elapsed(), error=error.reason, unsafe_target=not unresolvable)
        timestamp = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": signature_header(secrets, message_id, timestamp, body),
        }
        try:
            # One deadline for the whole attempt; streamed, so only the first KB is read.
            async with (
                asyncio.timeout(self._timeout),
                self._client.stream(
                    "POST", url, content=body.encode(), headers=headers
                ) as response,
            ):
                head = b""
                async for chunk in response.aiter_raw():
                    head += chunk
                    if len(head) >= EXCERPT_BYTES:
                        break
        except (TimeoutError, httpx.TimeoutException):
            return Answer(None, elapsed(), error="timeout")
        except httpx.HTTPError as exc:
            return Answer(None, elapsed(), error=type(exc).__name__ + ": " + str(exc)[:200])
        excerpt = head[:EXCERPT_BYTES].decode("utf-8", "replace")
        return Answer(
            response.status_code,
            elapsed(),
            excerpt=excerpt,
            retry_after=_retry_after(response.headers.get("retry-after")),
        )
