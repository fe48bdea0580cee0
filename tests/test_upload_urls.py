"""Presigned upload forms: signed for the storage address phones can reach, never valid for
longer than 15 minutes whatever the configuration says, and bound to the declared key, type and
size by the POST policy that storage enforces (the service is called directly so the settings
can differ from the running server's)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from api.core.actors import Actor
from api.core.storage import ObjectStorage
from api.documents.schemas import DocumentUploadCreate, DocumentUploadTicket
from api.documents.service import DocumentService, upload_key
from api.settings import Settings
from tests.support import citizen
from tests.test_documents import new_application

PUBLIC_ENDPOINT = "https://files.motcua.example"


DATA = b"\xff\xd8\xff" + bytes(100)


async def ticket_for(
    db: asyncpg.Connection, settings: Settings
) -> tuple[datetime, DocumentUploadTicket, uuid.UUID]:
    """(signed at, ticket, application id) of one upload of ``DATA`` started under
    ``settings``."""
    citizen_id, _ = await citizen(db, settings)
    requirement = await db.fetchval(
        "SELECT required_documents -> 0 ->> 'code' FROM procedures WHERE code = '1.001193'"
    )
    application_id = await new_application(db, "1.001193", citizen_id)
    service = DocumentService(db, ObjectStorage(settings), settings)
    actor = Actor(kind="citizen", id=citizen_id, role="citizen")
    data = DATA
    signed_at = datetime.now(UTC)
    ticket = await service.start_upload(
        actor,
        application_id,
        DocumentUploadCreate(
            requirement=requirement,
            content_type="image/jpeg",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        ),
    )
    return signed_at, ticket, application_id


def policy_of(ticket: DocumentUploadTicket) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(base64.b64decode(ticket.fields["policy"]))
    return policy


async def test_upload_forms_use_the_public_endpoint(
    db: asyncpg.Connection, settings: Settings
) -> None:
    public = settings.with_overrides(s3_public_endpoint=PUBLIC_ENDPOINT)
    _, ticket, application_id = await ticket_for(db, public)
    assert ticket.method == "POST"
    assert ticket.upload_url == f"{PUBLIC_ENDPOINT}/{settings.s3_bucket}"
    assert ticket.fields["key"] == upload_key(application_id, ticket.document_id)


async def test_upload_policy_pins_key_type_and_size(
    db: asyncpg.Connection, settings: Settings
) -> None:
    _, ticket, application_id = await ticket_for(db, settings)
    conditions = policy_of(ticket)["conditions"]
    assert ["eq", "$bucket", settings.s3_bucket] in conditions
    assert ["eq", "$key", upload_key(application_id, ticket.document_id)] in conditions
    assert ["eq", "$Content-Type", "image/jpeg"] in conditions
    # Storage refuses any other length: a form declared at 103 bytes cannot carry 50 MB.
    assert ["content-length-range", len(DATA), len(DATA)] in conditions
    # No condition may loosen those: no starts-with on the key or the type.
    assert not [c for c in conditions if c[0] == "starts-with"]
    # The fields sent with the form match what the policy allows.
    assert ticket.fields["Content-Type"] == "image/jpeg"
    assert ticket.fields["x-amz-signature"]


async def test_upload_forms_live_at_most_fifteen_minutes(
    db: asyncpg.Connection, settings: Settings
) -> None:
    generous = settings.with_overrides(upload_url_ttl_seconds=24 * 3600)
    signed_at, ticket, _ = await ticket_for(db, generous)
    expiration = datetime.fromisoformat(policy_of(ticket)["expiration"])
    assert expiration <= ticket.expires_at
    assert ticket.expires_at - expiration < timedelta(milliseconds=1)
    assert ticket.expires_at - signed_at <= timedelta(minutes=15, seconds=1)
    # The server enforces the same window when the phone completes the upload.
    stored = await db.fetchval(
        "SELECT upload_expires_at FROM application_documents WHERE id = $1", ticket.document_id
    )
    assert stored == ticket.expires_at
