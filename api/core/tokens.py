"""Signed access tokens, opaque refresh tokens and the keys behind them.

Access token: a standard JWT (RFC 7519) signed with HS256, short-lived and checked without a
database read; the session it names (``sid``) is still checked so a revoked session stops
working at once. Claims: ``iss``, ``aud``, ``sub`` (citizen or staff id), ``knd`` (which of
the two), ``sid``, ``iat``, ``exp``. The header's ``kid`` names the key: tokens are signed
with the key derived from ``SECRET_KEY`` and still accepted when signed with a key derived
from one of ``ACCESS_TOKEN_PREVIOUS_KEYS``, so a secret can be rotated without signing
everyone out. Refresh tokens are random, stored only as SHA-256 hashes.

A process remembers the tokens it has verified (bounded): a token's signature and claims are
checked once, and every later use only checks its expiry against the clock. The session query
stays per request (api/core/actors.py), so revocation still takes effect on the next request.

Every key is derived from a secret with its own label (``derive_key``), once at start-up: the
access-token key and the OTP-hash key never coincide, nor with the secret itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Sequence
from typing import Any, Literal

import jwt
import msgspec

SubjectKind = Literal["citizen", "staff"]

ISSUER = "motcua"
AUDIENCE = "motcua-api"
ALGORITHM = "HS256"
_REQUIRED_CLAIMS = ["iss", "aud", "sub", "sid", "knd", "iat", "exp"]


class AccessClaims(msgspec.Struct, frozen=True):
    sid: uuid.UUID  # session id
    sub: uuid.UUID  # citizen or staff id
    knd: SubjectKind
    exp: int
    iat: int = 0


def derive_key(secret_key: str, label: str) -> bytes:
    """A 32-byte key for one purpose, derived from a configured secret (HMAC-SHA256 of the
    purpose's label keyed with the secret)."""
    return hmac.new(secret_key.encode(), f"motcua/{label}".encode(), hashlib.sha256).digest()


def access_token_key(secret_key: str) -> bytes:
    return derive_key(secret_key, "access-token/v1")


def otp_hash_key(secret_key: str) -> bytes:
    return derive_key(secret_key, "otp-hash/v1")


def receipt_check_key(secret_key: str) -> bytes:
    return derive_key(secret_key, "receipt-check/v1")


def key_id(key: bytes) -> str:
    """The ``kid`` that names a key in token headers: 8 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:8]


# Verified access tokens one process remembers at most (a few MiB).
VERIFIED_TOKENS_REMEMBERED = 10_000


class TokenSigner:
    """Signs access tokens with the key derived from ``secret_key``; verifies tokens signed
    with it or with a key derived from one of ``previous_secret_keys``."""

    def __init__(
        self,
        secret_key: str,
        previous_secret_keys: Sequence[str] = (),
        remembered_tokens: int = VERIFIED_TOKENS_REMEMBERED,
    ) -> None:
        # Claims of tokens already verified, by token: what ``jwt.decode`` would return again,
        # except for the expiry, which is checked on every use.
        self._verified: dict[str, AccessClaims] = {}
        self._remembered_tokens = remembered_tokens
        self._key = access_token_key(secret_key)
        self._kid = key_id(self._key)
        self._verification_keys: dict[str, bytes] = {self._kid: self._key}
        for previous in previous_secret_keys:
            key = access_token_key(previous)
            self._verification_keys.setdefault(key_id(key), key)

    @property
    def key_id(self) -> str:
        return self._kid

    def issue(
        self, session_id: uuid.UUID, subject_id: uuid.UUID, kind: SubjectKind, ttl: int
    ) -> tuple[str, int]:
        now = int(time.time())
        expires = now + ttl
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(subject_id),
            "sid": str(session_id),
            "knd": kind,
            "iat": now,
            "exp": expires,
        }
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self._kid})
        return token, expires

    def verify(self, token: str) -> AccessClaims | None:
        """Return the claims of a genuine, unexpired token for this API, else None."""
        claims = self._verified.get(token)
        if claims is not None:
            # As PyJWT: expired once ``exp`` is not after now (no leeway).
            if claims.exp > time.time():
                return claims
            del self._verified[token]
            return None
        claims = self._decode(token)
        if claims is not None:
            self._remember(token, claims)
        return claims

    def _remember(self, token: str, claims: AccessClaims) -> None:
        if len(self._verified) >= self._remembered_tokens:
            now = time.time()
            self._verified = {t: c for t, c in self._verified.items() if c.exp > now}
            if len(self._verified) >= self._remembered_tokens:
                self._verified.clear()
        self._verified[token] = claims

    def _decode(self, token: str) -> AccessClaims | None:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            return None
        key = self._verification_keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            return None
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": _REQUIRED_CLAIMS},
            )
            return msgspec.convert(payload, AccessClaims)
        except (jwt.InvalidTokenError, msgspec.ValidationError):
            return None


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    """SHA-256 for high-entropy secrets (refresh tokens); never for passwords."""
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_hash(key: bytes, value: str) -> str:
    """HMAC for low-entropy secrets like 6-digit codes, so a database leak cannot brute them.
    ``key`` is a derived key (``otp_hash_key``), never the configured secret itself."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
