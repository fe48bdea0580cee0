"""A notification's words, in the reader's language, from its kind and parameters (nothing
but the kind and the parameters is stored)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import msgspec

from api.messages import Language, Localised, Message
from api.tracking.labels import status_message

# Push services accept 4 KB of ciphertext; we stay well below.
MAX_PUSH_PAYLOAD_BYTES = 3000


def notification_params(
    receipt_code: str | None, status: str, procedure_code: str
) -> dict[str, str]:
    return {"receipt_code": receipt_code or "", "status": status, "procedure_code": procedure_code}


def title_and_body(
    kind: str, params: Mapping[str, Any], procedure: Localised | None, language: Language
) -> tuple[str, str]:
    values = {
        "receipt_code": params.get("receipt_code", ""),
        "status": status_message(str(params.get("status", ""))),
        "procedure": procedure or Localised(vi="", en=""),
    }
    return (
        Message(f"notifications.kinds.{kind}.title", values).render(language),
        Message(f"notifications.kinds.{kind}.body", values).render(language),
    )


def application_url(application_id: uuid.UUID) -> str:
    return f"/applications/{application_id}"


class PushPayload(msgspec.Struct, frozen=True):
    """What the service worker receives (decrypted): enough to show the notification and open
    the right screen. ``id`` lets it replace rather than repeat one it already showed."""

    id: uuid.UUID
    kind: str
    title: str
    body: str
    receipt_code: str | None
    status: str
    url: str


def encode_payload(payload: PushPayload) -> bytes:
    data = msgspec.json.encode(payload)
    if len(data) > MAX_PUSH_PAYLOAD_BYTES:
        overflow = len(data) - MAX_PUSH_PAYLOAD_BYTES
        body = payload.body.encode()[: max(0, len(payload.body.encode()) - overflow - 3)]
        shorter = msgspec.structs.replace(payload, body=body.decode(errors="ignore") + "…")
        data = msgspec.json.encode(shorter)
    return data
