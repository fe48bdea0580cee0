"""Request and response bodies of the in-app inbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec


class NotificationRead(msgspec.Struct, frozen=True):
    """One notification. An account notice (``suspicious_sign_in``, ``webhook_disabled``) is
    about no application: ``application_id`` and ``receipt_code`` are null, ``status`` is
    empty and ``url`` names the screen to act on it."""

    id: uuid.UUID
    kind: str
    title: str
    body: str
    application_id: uuid.UUID | None
    receipt_code: str | None
    status: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(msgspec.Struct, frozen=True):
    items: list[NotificationRead]
    next_cursor: str | None


class MarkRead(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Either ``ids`` (at most 100) or ``"all": true``."""

    ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=100)] = msgspec.field(
        default_factory=list
    )
    all: bool = False


class MarkedRead(msgspec.Struct, frozen=True):
    marked_read: int
