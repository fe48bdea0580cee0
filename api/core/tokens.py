"""Signed access tokens and opaque refresh tokens.

Access token: ``<base64url(JSON claims)>.<base64url(HMAC-SHA256)>``, short-lived and checked
without a database read; the session it names is still checked so a revoked session stops
working at once. Refresh tokens are random, stored only as SHA-256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from typing import Literal

import msgspec

SubjectKind = Literal["citizen", "staff"]


class AccessClaims(msgspec.Struct, frozen=True):
    sid: uuid.UUID  # session id
    sub: uuid.UUID  # citizen or staff id
    knd: SubjectKind
    exp: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"motcua-access-token:" + secret_key.encode()).digest()

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def issue(
        self, session_id: uuid.UUID, subject_id: uuid.UUID, kind: SubjectKind, ttl: int
    ) -> tuple[str, int]:
        expires = int(time.time()) + ttl
        claims = AccessClaims(sid=session_id, sub=subject_id, knd=kind, exp=expires)
        payload = msgspec.json.encode(claims)
        return f"{_b64(payload)}.{_b64(self._sign(payload))}", expires

    def verify(self, token: str) -> AccessClaims | None:
        """Return the claims of a genuine, unexpired token, else None."""
        try:
            payload_part, signature_part = token.split(".")
            payload = _unb64(payload_part)
            signature = _unb64(signature_part)
        except ValueError:
            return None
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            claims = msgspec.json.decode(payload, type=AccessClaims)
        except msgspec.ValidationError:
            return None
        if claims.exp <= int(time.time()):
            return None
        return claims


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    """SHA-256 for high-entropy secrets (refresh tokens); never for passwords."""
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_hash(secret_key: str, value: str) -> str:
    """HMAC for low-entropy secrets like 6-digit codes, so a database leak cannot brute them."""
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()
