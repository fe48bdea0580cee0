"""Backing services out of reach: the API answers 503 problems and writes nothing."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import free_port, problem
from tests.support import citizen, draft_application, pending_document


async def test_storage_outage_on_upload_completion_is_a_503_and_keeps_the_upload_pending(
    db: asyncpg.Connection, settings: Settings
) -> None:
    citizen_id, headers = await citizen(db, settings)
    application_id = await draft_application(db, citizen_id)
    document_id = await pending_document(db, application_id, citizen_id, upload_window_minutes=10)
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
