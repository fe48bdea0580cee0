"""Test helpers that sign people in without going through SMS: they create the same rows the
sign-in endpoints create and sign a real access token with the test settings' key."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from api.core.db import create_pool
from api.core.passwords import hash_password
from api.core.storage import ObjectStorage
from api.core.tokens import TokenSigner
from api.documents.cleanup import SweepResult, sweep_staging_uploads
from api.settings import Settings


def random_phone() -> str:
    return "09" + "".join(random.choice("0123456789") for _ in range(8))


def random_cccd(*, province: str = "001", century_gender: str = "0", yy: str = "90") -> str:
    return province + century_gender + yy + "".join(random.choice("0123456789") for _ in range(6))


async def _session(
    conn: asyncpg.Connection, settings: Settings, *, citizen_id: Any = None, staff_id: Any = None
) -> dict[str, str]:
    session_id = await conn.fetchval(
        "INSERT INTO auth_sessions (citizen_id, staff_id, expires_at)"
        " VALUES ($1, $2, now() + interval '1 day') RETURNING id",
        citizen_id,
        staff_id,
    )
    subject = citizen_id or staff_id
    kind = "citizen" if citizen_id else "staff"
    token, _ = TokenSigner(settings.secret_key).issue(session_id, subject, kind, 3600)
    return {"Authorization": f"Bearer {token}"}


async def citizen(
    conn: asyncpg.Connection,
    settings: Settings,
    *,
    with_profile: bool = True,
    full_name: str = "Nguyễn Văn An",
    province_code: str = "01",
    commune_code: str = "00004",
) -> tuple[uuid.UUID, dict[str, str]]:
    """A signed-in citizen (with a complete 'declare once' profile unless told otherwise)."""
    if with_profile:
        citizen_id = await conn.fetchval(
            "INSERT INTO citizens (phone, full_name, date_of_birth, gender, citizen_id_number,"
            " province_code, commune_code, street)"
            " VALUES ($1, $2, '1990-05-17', 'male', $3, $4, $5, '12 Phố Đội Cấn') RETURNING id",
            random_phone(),
            full_name,
            random_cccd(),
            province_code,
            commune_code,
        )
    else:
        citizen_id = await conn.fetchval(
            "INSERT INTO citizens (phone) VALUES ($1) RETURNING id", random_phone()
        )
    return citizen_id, await _session(conn, settings, citizen_id=citizen_id)


async def staff(
    conn: asyncpg.Connection,
    settings: Settings,
    *,
    role: str = "officer",
    unit_code: str | None = "00004",
    agency_code: str | None = None,
) -> tuple[uuid.UUID, dict[str, str]]:
    """A signed-in staff member bound to ``unit_code`` (an officer by default)."""
    staff_id = await conn.fetchval(
        "INSERT INTO staff (username, password_hash, full_name, role, unit_code, agency_code)"
        " VALUES ($1, 'not-a-real-hash', 'Cán bộ Thử nghiệm', $2, $3, $4) RETURNING id",
        "t" + uuid.uuid4().hex[:12],
        role,
        unit_code,
        agency_code,
    )
    return staff_id, await _session(conn, settings, staff_id=staff_id)


async def staff_with_password(
    conn: asyncpg.Connection, settings: Settings, password: str, *, unit_code: str = "00004"
) -> tuple[str, dict[str, str]]:
    """An officer of ``unit_code`` who can also sign in on the login form with ``password``:
    (username, API headers)."""
    staff_id, headers = await staff(conn, settings, unit_code=unit_code)
    username = "cb" + uuid.uuid4().hex[:10]
    await conn.execute(
        "UPDATE staff SET username = $2, password_hash = $3 WHERE id = $1",
        staff_id,
        username,
        hash_password(password),
    )
    return username, headers


async def draft_application(
    conn: asyncpg.Connection,
    citizen_id: uuid.UUID,
    *,
    procedure_code: str = "CHT-BANSAO",
    unit_code: str = "00004",
) -> uuid.UUID:
    """An online draft inserted directly, for tests about what happens around it."""
    application_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO applications (procedure_code, unit_code, citizen_id, channel, status,"
        " applicant, created_by_kind, created_by_id, idempotency_key, request_fingerprint)"
        " VALUES ($1, $2, $3, 'online', 'draft', '{}', 'citizen', $3, gen_random_uuid(), 'x')"
        " RETURNING id",
        procedure_code,
        unit_code,
        citizen_id,
    )
    return application_id


async def pending_document(
    conn: asyncpg.Connection,
    application_id: uuid.UUID,
    citizen_id: uuid.UUID,
    *,
    upload_window_minutes: int,
    requirement: str = "BAN_CHINH",
) -> uuid.UUID:
    """A started upload whose window closes in ``upload_window_minutes`` (negative: closed)."""
    document_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO application_documents (application_id, kind, requirement, object_key,"
        " declared_content_type, declared_size, declared_sha256, status, upload_expires_at,"
        " uploaded_by_kind, uploaded_by_id)"
        " VALUES ($1, 'input', $2, $3, 'image/jpeg', 3, repeat('a', 64), 'pending',"
        " now() + make_interval(mins => $4), 'citizen', $5) RETURNING id",
        application_id,
        requirement,
        f"applications/{application_id}/{uuid.uuid4()}",
        upload_window_minutes,
        citizen_id,
    )
    return document_id


async def sweep(settings: Settings, *, batch: int = 500) -> SweepResult:
    """Run the worker's staging sweep once."""
    pool = await create_pool(settings.database_url)
    try:
        return await sweep_staging_uploads(pool, ObjectStorage(settings), batch=batch)
    finally:
        await pool.close()


ROOT = Path(__file__).resolve().parent.parent


def worker_process(settings: Settings, *, redis_url: str | None = None) -> subprocess.Popen[bytes]:
    """``python -m workers`` as production runs it, on the test's database, Redis (or the one
    given), storage and secret key (webhook secrets are sealed under it)."""
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis_url or settings.redis_url,
        "S3_ENDPOINT": settings.s3_endpoint,
        "SECRET_KEY": settings.secret_key,
        "LOG_LEVEL": "ERROR",
    }
    return subprocess.Popen([sys.executable, "-m", "workers"], cwd=ROOT, env=env)
