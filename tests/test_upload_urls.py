"""Presigned upload URLs: signed for the storage address phones can reach, and never valid for
longer than 15 minutes whatever the configuration says (the service is called directly so the
settings can differ from the running server's)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import asyncpg

from api.core.actors import Actor
from api.core.storage import ObjectStorage
from api.documents.schemas import DocumentUploadCreate
from api.documents.service import DocumentService
from api.settings import Settings
from tests.support import citizen
from tests.test_documents import new_application

PUBLIC_ENDPOINT = "https://files.motcua.example"


async def ticket_for(
    db: asyncpg.Connection, settings: Settings
) -> tuple[datetime, str, datetime, uuid.UUID]:
    """(signed at, upload URL, expires_at, document id) of one upload started under
    ``settings``."""
    citizen_id, _ = await citizen(db, settings)
    requirement = await db.fetchval(
        "SELECT required_documents -> 0 ->> 'code' FROM procedures WHERE code = '1.001193'"
    )
    application_id = await new_application(db, "1.001193", citizen_id)
    service = DocumentService(db, ObjectStorage(settings), settings)
    actor = Actor(kind="citizen", id=citizen_id, role="citizen")
    data = b"\xff\xd8\xff" + bytes(100)
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
    return signed_at, ticket.upload_url, ticket.expires_at, ticket.document_id


async def test_upload_urls_use_the_public_endpoint(
    db: asyncpg.Connection, settings: Settings
) -> None:
    public = settings.with_overrides(s3_public_endpoint=PUBLIC_ENDPOINT)
    _, url, _, document_id = await ticket_for(db, public)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_ENDPOINT
    assert parts.path.endswith(f"/{document_id}")


async def test_upload_urls_live_at_most_fifteen_minutes(
    db: asyncpg.Connection, settings: Settings
) -> None:
    generous = settings.with_overrides(upload_url_ttl_seconds=24 * 3600)
    signed_at, url, expires_at, document_id = await ticket_for(db, generous)
    assert int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0]) == 900
    assert expires_at - signed_at <= timedelta(minutes=15, seconds=1)
    # The server enforces the same window when the phone completes the upload.
    stored = await db.fetchval(
        "SELECT upload_expires_at FROM application_documents WHERE id = $1", document_id
    )
    assert stored == expires_at
