"""The Web Push client (RFC 8030 delivery, RFC 8291 aes128gcm encryption, RFC 8292 VAPID).

The VAPID key pair is loaded once per process (``load_vapid_keys``): from ``VAPID_PRIVATE_KEY``
when set (required in production), otherwise generated once and kept in the ``vapid_keys``
table so the API (which hands out the public key) and every worker sign with the same key.

``WebPushClient.send`` encrypts with pywebpush and posts through one aiohttp session per
process. It never raises for an answer of the push service: it returns the status code (None
when the service could not be reached) and ``Retry-After`` for the caller to decide.
"""

from __future__ import annotations

import base64
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import aiohttp
import asyncpg
import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher

if TYPE_CHECKING:
    from api.settings import Settings

Urgency = Literal["very-low", "low", "normal", "high"]

# RFC 8292 allows at most 24 hours; half of that leaves room for clock skew at the service.
VAPID_CLAIMS_SECONDS = 12 * 3600
SEND_TIMEOUT_SECONDS = 10.0


class VapidKeyError(ValueError):
    """VAPID_PRIVATE_KEY is neither a PEM P-256 key nor a base64url raw 32-byte scalar."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_vapid_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM key (PKCS#8 or SEC1) or the raw scalar in base64url, on the P-256 curve."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.strip().encode(), password=None)
        else:
            raw = b64url_decode(text.strip())
            if len(raw) != 32:
                raise VapidKeyError("a raw VAPID key is 32 bytes")
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except (ValueError, TypeError) as exc:
        raise VapidKeyError(str(exc)) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidKeyError("the VAPID key must be an EC key on P-256")
    return key


def raw_private_key(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


class VapidKeys:
    """The application server's key pair and the contact named in every claim."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey, subject: str) -> None:
        self.subject = subject
        self.signer = Vapid02(private_key)
        self.public_key = b64url(
            private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )
        """base64url of the uncompressed point: the browser's ``applicationServerKey``."""

    def authorization(self, endpoint: str) -> dict[str, str]:
        """The ``Authorization: vapid t=…, k=…`` header for one message. The claims are made
        fresh on every call: pywebpush's own helper mutates the dict it is given."""
        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int(time.time()) + VAPID_CLAIMS_SECONDS,
            "sub": self.subject,
        }
        headers: dict[str, str] = self.signer.sign(claims)
        return headers


async def load_vapid_keys(conn: asyncpg.Connection, settings: Settings) -> VapidKeys:
    """The configured key, or (outside production) the one stored in the database, generated
    by whichever process asked first."""
    if settings.vapid_private_key:
        key = parse_vapid_private_key(settings.vapid_private_key)
        return VapidKeys(key, settings.vapid_subject)
    if settings.is_production:
        raise VapidKeyError("VAPID_PRIVATE_KEY is required in production")
    generated = raw_private_key(ec.generate_private_key(ec.SECP256R1()))
    await conn.execute(
        "INSERT INTO vapid_keys (id, private_key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        generated,
    )
    stored: str = await conn.fetchval("SELECT private_key FROM vapid_keys WHERE id = 1")
    return VapidKeys(parse_vapid_private_key(stored), settings.vapid_subject)


def topic_for(application_id: bytes) -> str:
    """The ``Topic`` of an application's messages (22 URL-safe characters): a phone that was
    offline receives only the latest message of each application."""
    return b64url(application_id)


class Subscription(msgspec.Struct, frozen=True):
    endpoint: str
    p256dh: str
    auth: str


class PushAnswer(msgspec.Struct, frozen=True):
    status_code: int | None
    """None: the push service could not be reached (or did not answer in time)."""
    retry_after: float | None = None
    """Seconds the service asked us to wait (``Retry-After``), if it said."""
    unusable_keys: bool = False
    """The subscription's keys do not decode: nothing was sent, and nothing ever will be."""


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class WebPushClient:
    """One per process: the keys, and one HTTP session reused for every message."""

    def __init__(self, keys: VapidKeys, *, timeout: float = SEND_TIMEOUT_SECONDS) -> None:
        self.keys = keys
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def send(
        self,
        subscription: Subscription,
        data: bytes,
        *,
        ttl: int,
        urgency: Urgency,
        topic: str,
    ) -> PushAnswer:
        headers = {
            **self.keys.authorization(subscription.endpoint),
            "Urgency": urgency,
            "Topic": topic,
        }
        try:
            pusher = WebPusher(
                {
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                aiohttp_session=self._http(),
            )
        except ValueError:  # keys the API would have refused: a row written some other way
            return PushAnswer(status_code=None, unusable_keys=True)
        try:
            response = await pusher.send_async(
                data, headers, ttl=ttl, content_encoding="aes128gcm", timeout=self._timeout
            )
        except (TimeoutError, aiohttp.ClientError):
            return PushAnswer(status_code=None)
        assert isinstance(response, aiohttp.ClientResponse)
        return PushAnswer(
            status_code=response.status,
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
