"""A notification's words, in the reader's language, from its kind and parameters (nothing
but the kind and the parameters is stored)."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

import msgspec

from api.messages import Language, Localised, Message
from api.notifications.notices import WEBHOOK_DISABLED
from api.tracking.labels import status_message

# Push services accept 4 KB of ciphertext; we stay well below.
MAX_PUSH_PAYLOAD_BYTES = 3000


def notification_params(
    receipt_code: str | None, status: str, procedure_code: str, due_date: date | None = None
) -> dict[str, str]:
    return {
        "receipt_code": receipt_code or "",
        "status": status,
        "procedure_code": procedure_code,
        "due_date": due_date.isoformat() if due_date else "",
    }


def _values(params: Mapping[str, Any], procedure: Localised | None) -> dict[str, Any]:
    due = str(params.get("due_date") or "")
    status = str(params.get("status", ""))
    return {
        # An account notice's own parameters (api/notifications/notices.py), as stored.
        **{name: str(value) for name, value in params.items()},
        "receipt_code": params.get("receipt_code", ""),
        "status": status_message(status) if status else "",
        "procedure": procedure or Localised(vi="", en=""),
        # Vietnamese and English readers here both read day/month/year.
        "due_date": date.fromisoformat(due).strftime("%d/%m/%Y") if due else "",
        # Why a webhook endpoint was disabled (gone or failing), in the reader's language.
        "reason": Message(f"notifications.webhook-reasons.{params['reason']}")
        if "reason" in params
        else "",
    }


def title_and_body(
    kind: str, params: Mapping[str, Any], procedure: Localised | None, language: Language
) -> tuple[str, str]:
    values = _values(params, procedure)
    return (
        Message(f"notifications.kinds.{kind}.title", values).render(language),
        Message(f"notifications.kinds.{kind}.body", values).render(language),
    )


# One SMS segment: 160 characters of the GSM 7-bit alphabet. A single Vietnamese letter with a
# diacritic makes the whole message UCS-2, where a segment holds 70 characters.
SMS_SEGMENT_CHARS = 160


def without_diacritics(text: str) -> str:
    """Vietnamese written without its marks (the usual form of service SMS in Vietnam):
    ``Hồ sơ đã được tiếp nhận`` → ``Ho so da duoc tiep nhan``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sms_text(kind: str, params: Mapping[str, Any], language: Language) -> str:
    """The SMS of a notification in the reader's language, in plain letters so it fits one
    GSM-7 segment (receipt code, status, what to do)."""
    text = Message(f"notifications.sms.{kind}", _values(params, None)).render(language)
    return without_diacritics(text)


def application_url(application_id: uuid.UUID) -> str:
    return f"/applications/{application_id}"


def notification_url(kind: str, application_id: uuid.UUID | None, params: Mapping[str, Any]) -> str:
    """The screen a notification opens: its application's, or for an account notice the
    screen where the reader acts on it."""
    if application_id is not None:
        return application_url(application_id)
    if kind == WEBHOOK_DISABLED and params.get("endpoint_id"):
        return f"/agency/webhooks/{params['endpoint_id']}"
    return "/account"


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
