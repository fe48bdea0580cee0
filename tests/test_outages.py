"""Backing services out of reach: the API answers 503 problems and writes nothing."""

from __future__ import annotations

import uuid

import asyncpg
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import free_port, problem
from tests.support import citizen


async def test_storage_outage_on_upload_completion_is_a_503_and_keeps_the_upload_pending(
    db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings)
    application_id = await db.fetchval(
        "INSERT INTO applications (procedure_code, unit_code, citizen_id, channel, status,"
        " applicant, created_by_kind, created_by_id, idempotency_key, request_fingerprint)"
        " VALUES ('CHT-BANSAO', '00004', $1, 'online', 'draft', '{}', 'citizen', $1,"
        " gen_random_uuid(), 'x') RETURNING id",
        citizen_id,
    )
    document_id = await db.fetchval(
        "INSERT INTO application_documents (application_id, kind, requirement, object_key,"
        " declared_content_type, declared_size, declared_sha256, status, upload_expires_at,"
        " uploaded_by_kind, uploaded_by_id)"
        " VALUES ($1, 'input', 'BAN_CHINH', $2, 'image/jpeg', 3, repeat('a', 64), 'pending',"
        " now() + interval '10 minutes', 'citizen', $3) RETURNING id",
        application_id,
        f"applications/{application_id}/{uuid.uuid4()}",
        citizen_id,
    )
    unreachable = f"http://127.0.0.1:{free_port()}"
    broken = settings.with_overrides(s3_endpoint=unreachable, s3_public_endpoint=unreachable)
    async with AsyncTestClient(create_app(broken)) as client:
        response = await client.post(
            f"/api/v1/applications/{application_id}/documents/{document_id}/complete",
            headers=headers,
        )
    problem(response, 503, "service-unavailable")
    assert response.headers["retry-after"] == "30"
    status = await db.fetchval(
        "SELECT status FROM application_documents WHERE id = $1", document_id
    )
    assert status == "pending"  # the phone can complete again once storage is back
