"""Signing secrets of webhook endpoints: made here, shown once, stored sealed.

A secret is ``whsec_`` and 32 random bytes in base64 (the Standard Webhooks form, which the
reference libraries take as is). It must be read back to sign, so it is stored sealed with
AES-GCM under a key derived from ``SECRET_KEY`` for this purpose only; a database copy alone
does not let anyone forge deliveries. Secrets sealed under an earlier ``SECRET_KEY`` (listed
in ``ACCESS_TOKEN_PREVIOUS_KEYS``) still open, so rotating it breaks no endpoint.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from api.core.tokens import derive_key

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES = 32
_NONCE_BYTES = 12
_LABEL = "webhook-signing-secret/v1"


def new_signing_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


class SecretBox:
    """Seals with the key derived from the current secret; opens with it or an earlier one."""

    def __init__(self, secret_key: str, previous_secret_keys: Sequence[str] = ()) -> None:
        self._sealer = AESGCM(derive_key(secret_key, _LABEL))
        self._openers = [self._sealer] + [
            AESGCM(derive_key(previous, _LABEL)) for previous in previous_secret_keys
        ]

    def seal(self, secret: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._sealer.encrypt(nonce, secret.encode(), _LABEL.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        nonce, body = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        for opener in self._openers:
            try:
                return opener.decrypt(nonce, body, _LABEL.encode()).decode()
            except InvalidTag:
                continue
        raise ValueError("a webhook secret sealed under an unknown SECRET_KEY")
