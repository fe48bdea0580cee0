"""Request and response bodies of the push subscription API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

# Browsers' endpoints are well under 1 KB; base64url keys are 87 (p256dh) and 22 (auth) chars.
Endpoint = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
Base64Url = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+=*$")
]


class VapidPublicKey(msgspec.Struct, frozen=True):
    public_key: str
    """The application server key for ``pushManager.subscribe``: base64url of the
    uncompressed P-256 point (65 bytes)."""


class SubscriptionKeys(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    p256dh: Base64Url
    auth: Base64Url


class SubscriptionCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What ``PushSubscription.toJSON()`` gives (``expirationTime`` may come along)."""

    endpoint: Endpoint
    keys: SubscriptionKeys
    expirationTime: int | None = None  # the browser's own name


class SubscriptionDelete(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    endpoint: Endpoint


class SubscriptionRead(msgspec.Struct, frozen=True):
    id: uuid.UUID
    push_service: str
    """The push service's origin (the endpoint itself is a secret of the browser's)."""
    user_agent: str | None
    created_at: datetime
    last_success_at: datetime | None


class SubscriptionList(msgspec.Struct, frozen=True):
    items: list[SubscriptionRead]
